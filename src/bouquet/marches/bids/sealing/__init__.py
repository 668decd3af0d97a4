"""Sealing of bids until the deadline: pure code, no Django.

- :mod:`.crypto`: HPKE (RFC 9180) encryption of each received piece to the consultation's public key;
- :mod:`.sha256`: a SHA-256 whose state survives between two HTTP requests (no plaintext kept);
- :mod:`.vault`: the key vault that keeps each private key sealed until its deadline.
"""
