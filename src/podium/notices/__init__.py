"""Change notices: who is told what, by mail, when a release changes the program (services.py).

Above schedule, attendance, interop and mail in the layers: it listens to
`schedule.signals.release_published` (connected in apps.py) and writes through the mail outbox.
"""
