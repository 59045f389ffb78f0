import re

import pytest

from bot.platforms.split import MIN_LIMIT, split_message

P1 = "First paragraph has one sentence."
P2 = "Second paragraph. It has two sentences."
CODE = "```py\nx = 1\ny = 2\n```"

CASES = [
    # (name, text, limit, expected parts)
    ("empty", "", 50, []),
    ("blank", " \n\n ", 50, []),
    ("fits", "short text", 50, ["short text"]),
    ("exactly the limit", "a" * 50, 50, ["a" * 50]),
    ("trims outer whitespace", "\n  hello  \n", 50, ["hello"]),
    ("paragraph break first", f"{P1}\n\n{P2}", 60, [P1, P2]),
    (
        "paragraph break beats a later sentence end",
        "Para one. Short.\n\nPara two is here. More words here.",
        45,
        ["Para one. Short.", "Para two is here. More words here."],
    ),
    (
        "line break inside a list",
        "- item one is long\n- item two is long\n- item three long",
        45,
        ["- item one is long\n- item two is long", "- item three long"],
    ),
    (
        "sentence end when no break fits",
        "One sentence ends here. Another sentence goes on and on.",
        45,
        ["One sentence ends here.", "Another sentence goes on and on."],
    ),
    (
        "sentence end after a citation marker and bold",
        "**It grew fast [1].** Then something else happened later on.",
        45,
        ["**It grew fast [1].**", "Then something else happened later on."],
    ),
    (
        "word boundary when no sentence end fits",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa",
        40,
        ["alpha beta gamma delta epsilon zeta eta", "theta iota kappa"],
    ),
    ("hard cut inside one long word", "x" * 100, 40, ["x" * 40, "x" * 40, "x" * 20]),
    (
        "code block kept whole, cut before it",
        f"Intro text is here now.\n{CODE}\nAfter.",
        40,
        ["Intro text is here now.", CODE + "\nAfter."],
    ),
    (
        "never cuts at a paragraph break inside a block",
        "Intro words here, more words.\n```\na\n\nb\n```",
        40,
        ["Intro words here, more words.", "```\na\n\nb\n```"],
    ),
    (
        "block glued to a word: cut just before the fence",
        "word```\ncode line one!\ncode line two!\n```",
        40,
        ["word", "```\ncode line one!\ncode line two!\n```"],
    ),
    (
        "oversized block closed and reopened with its language",
        "```py\n" + "\n".join(f"line_{i} = {i}" for i in range(6)) + "\n```",
        50,
        [
            "```py\nline_0 = 0\nline_1 = 1\nline_2 = 2\n```",
            "```py\nline_3 = 3\nline_4 = 4\nline_5 = 5\n```",
        ],
    ),
    (
        "oversized block without language, text after it",
        "```\n" + "aaaa bbbb cccc\n" * 4 + "```\nDone.",
        45,
        [
            "```\naaaa bbbb cccc\naaaa bbbb cccc\n```",
            "```\naaaa bbbb cccc\naaaa bbbb cccc\n```\nDone.",
        ],
    ),
    (
        "oversized block with one very long line",
        "```\n" + "z" * 60 + "\n```",
        40,
        ["```\n" + "z" * 32 + "\n```", "```\n" + "z" * 28 + "\n```"],
    ),
    (
        "unclosed fence stays unclosed at the end",
        "```\n" + "row row row\n" * 4,
        40,
        ["```\nrow row row\nrow row row\n```", "```\nrow row row\nrow row row"],
    ),
    (
        "trailing blank lines of a block end it",
        "```\n" + "q" * 32 + "\n\n\n\n\n\n\n\n\n```\nAfter.",
        40,
        ["```\n" + "q" * 32 + "\n```", "After."],
    ),
]


@pytest.mark.parametrize(("text", "limit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_split_message(text, limit, expected):
    parts = split_message(text, limit)
    assert parts == expected
    assert all(0 < len(part) <= limit for part in parts)


def _visible(text: str) -> str:
    """Non-whitespace content, with fences removed (a split may add fences, never content)."""
    return re.sub(r"```\w*|\s", "", text)


@pytest.mark.parametrize("limit", [MIN_LIMIT, 100, 2000])
def test_long_mixed_text_keeps_every_character_and_fits(limit):
    paragraphs = []
    for i in range(40):
        paragraphs.append(f"Paragraph {i} says something [1]. " * (i % 7 + 1))
        if i % 9 == 0:
            code = "\n".join(f"value_{i}_{j} = {j}" for j in range(i + 3))
            paragraphs.append(f"```python\n{code}\n```")
    text = "\n\n".join(paragraphs)

    parts = split_message(text, limit)

    assert all(0 < len(part) <= limit for part in parts)
    assert _visible("\n".join(parts)) == _visible(text)
    for part in parts:  # every part's fences are balanced: no part ends inside a block
        assert part.count("```") % 2 == 0


def test_a_2500_character_answer_becomes_two_discord_messages():
    sentence = "The deal is worth 38 billion dollars over seven years [1]. "
    text = (sentence * 23).strip() + "\n\n" + (sentence * 20).strip()
    assert len(text) > 2500

    parts = split_message(text, 2000)

    assert [len(p) <= 2000 for p in parts] == [True, True]
    assert parts[0].endswith("[1].") and parts[1].startswith("The deal")


def test_limit_below_the_minimum_is_rejected():
    with pytest.raises(ValueError, match="at least"):
        split_message("text", MIN_LIMIT - 1)
