import pytest

from podium import cli


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["podium", "demo", "--port", "8011"], "http://127.0.0.1:8011"),
        (["podium", "serve", "--port=9000", "--host", "0.0.0.0"], "http://127.0.0.1:9000"),  # noqa: S104
        (["podium", "serve", "--host", "podium.local"], "http://podium.local:8000"),
        (["podium", "migrate"], None),
    ],
)
def test_demo_and_serve_default_the_base_url_to_their_own_address(monkeypatch, argv, expected):
    monkeypatch.delenv("PODIUM_BASE_URL", raising=False)

    cli._default_base_url(argv)

    assert cli.os.environ.get("PODIUM_BASE_URL") == expected


def test_explicit_base_url_wins(monkeypatch):
    monkeypatch.setenv("PODIUM_BASE_URL", "https://program.example.org")

    cli._default_base_url(["podium", "serve", "--port", "9000"])

    assert cli.os.environ["PODIUM_BASE_URL"] == "https://program.example.org"
