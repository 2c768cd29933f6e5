from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "podium.attendance"
    label = "attendance"

    def ready(self):
        from podium.attendance import seats
        from podium.events import signals as event_signals
        from podium.proposals import signals as proposal_signals
        from podium.schedule import signals as schedule_signals

        # Seats added by these changes go to the people waiting, in the change's transaction.
        schedule_signals.release_published.connect(
            seats.on_release_published, dispatch_uid="attendance.seats"
        )
        event_signals.session_type_saved.connect(seats.on_session_type_saved, dispatch_uid="attendance.seats")
        proposal_signals.proposal_edited.connect(seats.on_proposal_edited, dispatch_uid="attendance.seats")
