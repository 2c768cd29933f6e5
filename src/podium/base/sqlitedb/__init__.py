"""Podium's SQLite database backend: Django's, with write transactions taking turns (see `base`)."""
