from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "podium.registration"
    label = "registration"

    def ready(self):
        from podium.base.cleanup import register
        from podium.mail.services import register_attachment_maker
        from podium.proposals import signals
        from podium.registration import mails, speaker_tickets, sweeps

        signals.proposal_state_changed.connect(
            speaker_tickets.on_proposal_state_changed, dispatch_uid="registration.speaker_tickets"
        )
        register(sweeps.expired_orders)
        register(sweeps.expired_offers)
        register(sweeps.speaker_tickets)
        register_attachment_maker(mails.TICKET_PDF, _ticket_pdf)

        from podium.events import copying
        from podium.registration.copying import copy_registration

        copying.register(copy_registration)


def _ticket_pdf(ticket: int) -> bytes:
    """The maker of a ticket's PDF: ReportLab is loaded when a process first makes one, not by every
    process that starts (a `podium` command, a worker)."""
    from podium.registration import pdf

    return pdf.ticket_pdf_by_id(ticket)
