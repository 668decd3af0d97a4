"""Simulator of the Ministry of the Interior's @ctes platform (the préfecture's side of ACTES).

Receives archives over HTTPS (client certificate), checks them like @ctes and answers by e-mail
(Maildir or SMTP); a loopback web page and a CLI play the préfecture. Django-free by design.
Entry points: :func:`server.main` (``bouquet simulate-ministry``) and :mod:`.cli`.
"""

__all__: list[str] = []
