"""Counts read as English: one thing, several things."""

from survey_app.wording import counted


def test_counted_is_singular_only_for_one():
    assert counted(1, "participant") == "1 participant"
    assert [counted(n, "participant") for n in (0, 2)] == ["0 participants", "2 participants"]
    assert counted(1, "name or term", "names or terms") == "1 name or term"
    assert counted(3, "name or term", "names or terms") == "3 names or terms"
