"""Real servers on loopback for integration tests (Dovecot IMAP, scripted HTTPS), reusable by any test."""
