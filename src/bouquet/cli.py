"""The ``bouquet`` console command: Django's management commands under one name."""

import os
import sys

ALIASES = {
    "simulate-ministry": "simulate_ministry",
    "simulate-dgfip": "simulate_dgfip",
}  # hyphenated names for commands of the simulators


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bouquet.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(
        ["bouquet", *[ALIASES.get(a, a) if i == 0 else a for i, a in enumerate(sys.argv[1:])]]
    )


if __name__ == "__main__":
    main()
