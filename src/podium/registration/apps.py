from django.apps import AppConfig


class RegistrationConfig(AppConfig):
    name = "podium.registration"
    label = "registration"

    def ready(self):
        from podium.base.cleanup import register
        from podium.mail.services import register_attachment_maker
        from podium.proposals import signals
        from podium.registration import mails, pdf, speaker_tickets, sweeps

        signals.proposal_state_changed.connect(
            speaker_tickets.on_proposal_state_changed, dispatch_uid="registration.speaker_tickets"
        )
        register(sweeps.expired_orders)
        register(sweeps.expired_offers)
        register(sweeps.speaker_tickets)
        register_attachment_maker(mails.TICKET_PDF, pdf.ticket_pdf_by_id)

        from podium.events import copying
        from podium.registration.copying import copy_registration

        copying.register(copy_registration)
