"""Applying a read schedule file to an event (the use case is `podium.interop.services.import_program`).

report (what an import did), target (the organiser and event), times (the zone of offset-less times),
matching (which of the event's records each record of the file is), people (speakers), places (rooms,
tracks, session types, "Room not given") and apply (sessions, through the proposals and schedule
services).
"""
