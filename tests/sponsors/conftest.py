from tests.sponsoring import colleague_fixture, manager_fixture  # noqa: F401 (fixtures)
