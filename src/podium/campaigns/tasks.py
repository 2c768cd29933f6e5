"""Celery task of campaign sending: one batch per run, the next scheduled a minute later (rate limit).
Safe to run twice: releasing is a conditional update and delivery claims rows (campaigns.sending)."""

from podium.campaigns import sending
from podium.celery import app


@app.task(name="podium.campaigns.send_batch", acks_late=True)
def send_batch(campaign_id: int) -> int:
    """Release and deliver the next batch of a sending campaign; schedule the next one if any is left."""
    sending.deliver_released(campaign_id)
    ids, done = sending.release_batch(campaign_id)
    sending.deliver_released(campaign_id, ids)
    if not done:
        send_batch.apply_async(args=[campaign_id], countdown=sending.MINUTE)
    return len(ids)
