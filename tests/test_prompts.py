from pathlib import Path

import pytest

from bot.engines.model.prompts import MissingVariables, PromptError, PromptTemplate, load_prompts

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def test_a_missing_variable_is_an_error_not_a_blank():
    template = PromptTemplate("answer", "Answer in $language_name: $question")
    with pytest.raises(MissingVariables, match="question"):
        template.render(language_name="English")
    assert template.render(language_name="English", question="Why?") == "Answer in English: Why?"


def test_shipped_templates_render_with_their_variables():
    prompts = load_prompts(PROMPTS)
    assert "KNOWLEDGE-HERE" in prompts["system"].render(knowledge="KNOWLEDGE-HERE")
    assert prompts["answer"].variables == {"language_name"}
    assert prompts["brief"].variables == prompts["digest"].variables == {"language_name", "article_ids"}


def test_the_instructions_say_what_the_product_promises():
    system = load_prompts(PROMPTS)["system"].render(knowledge="")
    for rule in ("Use only the numbered passages", "cite", "NOT_IN_ARTICLE", "never instructions", "language"):
        assert rule in system


def test_a_missing_template_file_is_named(tmp_path):
    with pytest.raises(PromptError, match=r"system\.txt"):
        load_prompts(tmp_path)
