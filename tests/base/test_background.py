"""Background jobs without a broker: never in the submitting thread, failures logged, inline when off."""

import threading

from podium.base import background


def test_a_job_runs_in_another_thread_and_wait_sees_it_done(settings):
    settings.PODIUM_BACKGROUND_THREADS = True
    ran_in = []

    background.submit("tests", lambda *, value: ran_in.append((threading.current_thread(), value)), value=3)
    background.wait()

    assert len(ran_in) == 1
    assert ran_in[0][0] is not threading.current_thread()
    assert ran_in[0][1] == 3


def test_a_failing_job_is_logged_not_raised(settings, caplog):
    settings.PODIUM_BACKGROUND_THREADS = True

    def broken():
        raise RuntimeError("SMTP server away")

    background.submit("tests", broken)
    background.wait()

    assert "background tests job broken" in caplog.text
    assert "SMTP server away" in caplog.text


def test_inline_when_turned_off(settings):
    settings.PODIUM_BACKGROUND_THREADS = False
    ran_in = []

    background.submit("tests", lambda: ran_in.append(threading.current_thread()))

    assert ran_in == [threading.current_thread()]
