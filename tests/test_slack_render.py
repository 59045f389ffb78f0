"""The pure Slack formatting helpers: Markdown to mrkdwn, escaping, incoming text, citation blocks."""

import pytest

from bot.answers.reply import Citation, Reply
from bot.platforms.slack.render import (
    SECTION_LIMIT,
    citation_line,
    context_blocks,
    escape,
    markdown_to_mrkdwn,
    plain_text_from_slack,
    render_reply,
    render_text,
)


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("plain text", "plain text"),
        ("**bold** and __bold__", "*bold* and *bold*"),
        ("*italic* and _italic_", "_italic_ and _italic_"),
        ("***both***", "*_both_*"),
        ("~~gone~~", "~gone~"),
        ("# Title\ntext", "*Title*\ntext"),
        ("### Deep title ###", "*Deep title*"),
        ("- one\n- two\n* three\n  + nested", "• one\n• two\n• three\n  • nested"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("a **[1]** b [2]", "a *[1]* b [2]"),
        ("[the source](https://example.com/a)", "the source (https://example.com/a)"),
        ("[https://example.com](https://example.com)", "https://example.com"),
        ("![chart](https://example.com/c.png)", "chart (https://example.com/c.png)"),
        ("> quoted", "> quoted"),
        ("`**not bold**` and **bold**", "`**not bold**` and *bold*"),
        ("```python\nx = 1 < 2 and **y**\n```", "```\nx = 1 &lt; 2 and **y**\n```"),
        ("```\nnever closed", "```\nnever closed\n```"),
        ("Tom & Jerry <3 > 2", "Tom &amp; Jerry &lt;3 &gt; 2"),
        ("a > b in the middle", "a &gt; b in the middle"),
    ],
)
def test_markdown_becomes_mrkdwn(markdown, mrkdwn):
    assert markdown_to_mrkdwn(markdown) == mrkdwn


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel> read this",
        "<!here>",
        "<!everyone>",
        "hi <@U123>",
        "<!subteam^S123|@team>",
        "<https://evil.example|bank>",
        "[bank](https://evil.example|x>)",
        "&lt;!channel&gt;",
        "**<!channel>**",
        "```\n<!channel>\n```",
        "`<@U123>`",
        "> <!here>",
    ],
)
def test_no_output_can_ping_or_disguise_a_link(hostile):
    rendered = markdown_to_mrkdwn(hostile)
    assert "<" not in rendered


def test_escaped_entities_stay_visible_as_typed():
    assert markdown_to_mrkdwn("<!channel>") == "&lt;!channel&gt;"
    assert markdown_to_mrkdwn("&lt;") == "&amp;lt;"


@pytest.mark.parametrize(("text", "escaped"), [("a & b", "a &amp; b"), ("<x>", "&lt;x&gt;"), ("", "")])
def test_escape(text, escaped):
    assert escape(text) == escaped


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<@UBOT> how much?", "how much?"),
        ("<@UBOT|briefbot> how much?", "how much?"),
        ("ask <@U123> or <@U456|ada>", "ask @U123 or @ada"),
        ("in <#C1|general> and <#C2>", "in #general and #C2"),
        ("<!here> and <!channel>", "@here and @channel"),
        ("<!subteam^S1|@eng> team", "@eng team"),
        (
            "see <https://a.example|the page> or <https://b.example>",
            "see the page (https://a.example) or https://b.example",
        ),
        ("<mailto:a@b.example|a@b.example>", "a@b.example"),
        ("1 &lt; 2 &amp;&amp; 3 &gt; 2", "1 < 2 && 3 > 2"),
        ("  spaced   out  ", "spaced out"),
        ("", ""),
    ],
)
def test_plain_text_from_slack(slack, plain):
    assert plain_text_from_slack(slack, bot_user_id="UBOT") == plain


CITATION = Citation(
    id="openai-aws/p3",
    quote="OpenAI e AWS hanno siglato un accordo <da> 38 miliardi & più",
    article_title="OpenAI sceglie AWS",
    published="2025-11-04",
)


@pytest.mark.parametrize(
    ("citation", "line"),
    [
        (
            CITATION,
            "*[1]* `openai-aws/p3` “OpenAI e AWS hanno siglato un accordo &lt;da&gt; 38 miliardi &amp; più”"
            " — _OpenAI sceglie AWS, 2025-11-04_",
        ),
        (Citation(id="a/p1", quote="short"), "*[1]* `a/p1` “short”"),
        (Citation(id="a/p1", quote="x " * 300), None),
    ],
)
def test_citation_line(citation, line):
    rendered = citation_line(1, citation)
    if line is None:
        assert rendered.endswith("…”") and len(rendered) < 320
    else:
        assert rendered == line


def test_context_blocks_hold_at_most_ten_elements():
    blocks = context_blocks([f"line {n}" for n in range(23)])
    assert [len(b["elements"]) for b in blocks] == [10, 10, 3]
    assert context_blocks([]) == []


def test_reply_with_citations_and_notice():
    reply = Reply(text="**Deal**: $38bn [1]", citations=(CITATION,), notice="model down")
    [message] = render_reply(reply)
    assert message.text == "*Deal*: $38bn [1]"
    section, context = message.blocks
    assert section == {"type": "section", "text": {"type": "mrkdwn", "text": "*Deal*: $38bn [1]"}}
    assert [e["text"] for e in context["elements"]] == [":information_source: _model down_", citation_line(1, CITATION)]


def test_long_reply_is_split_under_the_section_limit_with_citations_last():
    paragraph = "The deal lasts seven years and is worth 38 billion dollars. " * 20
    reply = Reply(text="\n\n".join([paragraph] * 6), citations=(CITATION,))
    messages = render_reply(reply)
    assert len(messages) >= 2
    assert all(len(m.text) <= SECTION_LIMIT for m in messages)
    assert [b["type"] for b in messages[-1].blocks] == ["section", "context"]
    assert all([b["type"] for b in m.blocks] == ["section"] for m in messages[:-1])
    assert "".join("".join(m.text.split()) for m in messages) == "".join(reply.text.split())


def test_blank_reply_still_renders_a_message():
    [message] = render_reply(Reply(text="  "))
    assert message.text == "…"


def test_render_text():
    message = render_text("**Usage**: `/ask <question>`")
    assert message.text == "*Usage*: `/ask &lt;question&gt;`"
    assert message.blocks[0]["text"]["text"] == message.text
