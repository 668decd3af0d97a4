"""Settings of the support context (trainings, assistance, services on demand), from the environment."""

from bouquet.config.env import env_int, env_list, env_str

# Trainings: seats per session by default, and the ceiling staff cannot go above.
SUPPORT_TRAINING_CAPACITY = env_int("SUPPORT_TRAINING_CAPACITY", 10)
SUPPORT_TRAINING_MAX_CAPACITY = env_int("SUPPORT_TRAINING_MAX_CAPACITY", 10)
# The usual slots: weekdays (0 = Monday: "1,4" = Tuesday and Friday) and the afternoon window
# (local time, Europe/Paris); a session elsewhere needs the staff member's explicit confirmation.
SUPPORT_TRAINING_WEEKDAYS = [int(day) for day in env_list("SUPPORT_TRAINING_WEEKDAYS", "1,4")]
SUPPORT_TRAINING_AFTERNOON = env_str("SUPPORT_TRAINING_AFTERNOON", "13:00-18:00")
# Default meeting link shown for online sessions when staff leave the field empty.
SUPPORT_TRAINING_DEFAULT_LINK = env_str("SUPPORT_TRAINING_DEFAULT_LINK", "")
# Right-hand side of the calendar invitations' UID (RFC 5545 wants it globally unique).
SUPPORT_CALENDAR_DOMAIN = env_str("SUPPORT_CALENDAR_DOMAIN", "bouquet.localhost")
# Where new assistance requests and members' replies are announced; empty: every staff member.
SUPPORT_REQUESTS_EMAIL = env_list("SUPPORT_REQUESTS_EMAIL", "")
