import pytest

from bot.language.detection import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Quanto vale l'accordo?", "it"),
        ("How much is the deal worth?", "en"),
        ("E lui cosa ha detto?", "it"),
        ("What did he say?", "en"),
        ("Chi è Matt Garman?", "it"),
        ("Who is Matt Garman?", "en"),
        ("ok", "it"),  # too short to tell: the default
        ("?!", "it"),
    ],
)
def test_detects_italian_and_english(text, language):
    assert detect_language(text) == language
