"""The message catalogues: English and Chinese in step, every message renders, the language is chosen
as documented, the Chinese stubs are valid Python, and a Chinese report really is in Chinese."""

from __future__ import annotations

import re

import pytest

from autograder.authoring import STUB_FOLDERS, stubs
from autograder.i18n import LANG_ENV, LANGUAGES, UnknownLanguage, catalogue, placeholders, resolve_language
from autograder.paths import KIT_ROOT
from autograder.units.convolutions import UNIT
from tests.kit.conftest import read_results, run_cli

FLIPPED = UNIT.samples / "flipped_kernel"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese messages that rightly hold no Chinese: a bare placeholder, or a Python literal.
CODE_ONLY = {"value.none", "failure.todo"}


def entries(lang: str) -> dict[str, str]:
    return catalogue(lang).entries


# ------------------------------------------------------------------ the catalogues


def test_catalogues_have_the_same_keys():
    en, zh = set(entries("en")), set(entries("zh"))
    missing, extra = sorted(en - zh), sorted(zh - en)
    assert not missing, f"keys missing from zh.toml: {', '.join(missing)}"
    assert not extra, f"keys only in zh.toml (missing from en.toml, or misspelt): {', '.join(extra)}"


def test_every_key_has_the_same_placeholders_in_both_languages():
    en, zh = entries("en"), entries("zh")
    differ = {
        key: {"en": sorted(placeholders(en[key])), "zh": sorted(placeholders(zh[key]))}
        for key in en.keys() & zh.keys()
        if placeholders(en[key]) != placeholders(zh[key])
    }
    assert not differ, f"placeholders differ: {differ}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_renders_with_dummy_values(lang):
    cat = catalogue(lang)
    failed = {}
    for key, template in cat.entries.items():
        try:
            values = {name: f"<{name}>" for name in placeholders(template)}
            text = cat.text(key, **values)
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            failed[key] = repr(exc)
            continue
        if not text.strip():
            failed[key] = "renders empty"
        elif any(value not in text for value in values.values()):
            failed[key] = "a placeholder vanished"
    assert not failed, f"messages of {lang}.toml that do not render: {failed}"


def test_chinese_messages_are_translated():
    """A message copied over from en.toml untranslated is caught: every Chinese message holds Chinese."""
    untranslated = [
        key
        for key, text in entries("zh").items()
        if key not in CODE_ONLY and re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", text)) and not CJK.search(text)
    ]
    assert not untranslated, f"zh.toml messages still in English: {', '.join(untranslated)}"


def test_stub_texts_keep_their_doctest_examples_and_need_no_escapes():
    en, zh = entries("en"), entries("zh")
    for key in (k for k in en if k.startswith("stub.")):
        for lang, text in (("en", en[key]), ("zh", zh[key])):
            assert '"""' not in text, (lang, key)
            assert "\\" not in text, (lang, key)

        def example(text: str) -> list[str]:
            lines = text.split("\n")
            start = next((i for i, line in enumerate(lines) if line.lstrip().startswith(">>>")), len(lines))
            return lines[start:]

        assert example(zh[key]) == example(en[key]), key


# ------------------------------------------------------------------ choosing the language


def test_explicit_language_wins():
    environ = {LANG_ENV: "en", "LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"}
    assert resolve_language("zh", environ) == "zh"
    assert resolve_language("en", {LANG_ENV: "zh", "LANG": "zh_CN.UTF-8"}) == "en"


def test_autograder_lang_beats_the_locale():
    assert resolve_language(None, {LANG_ENV: "zh", "LC_ALL": "en_US.UTF-8"}) == "zh"
    assert resolve_language(None, {LANG_ENV: "en", "LANG": "zh_CN.UTF-8"}) == "en"
    assert resolve_language(None, {LANG_ENV: " zh ", "LANG": "C"}) == "zh"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW"}, "zh"),
        ({"LANG": "ZH_cn.utf8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),
        ({LANG_ENV: "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ],
)
def test_the_locale_decides_when_nothing_else_does(environ, expected):
    assert resolve_language(None, environ) == expected


def test_english_by_default():
    assert resolve_language(None, {}) == "en"
    assert resolve_language("", {}) == "en"


def test_the_process_environment_is_read_when_none_is_given(monkeypatch):
    for variable in (LANG_ENV, "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_language() == "zh"
    monkeypatch.setenv(LANG_ENV, "en")
    assert resolve_language() == "en"


@pytest.mark.parametrize(
    ("explicit", "environ"),
    [("fr", {}), ("zh_CN", {}), ("ZH", {}), (None, {LANG_ENV: "fr"}), (None, {LANG_ENV: "zh_CN.UTF-8"})],
)
def test_unknown_languages_are_refused(explicit, environ):
    with pytest.raises(UnknownLanguage):
        resolve_language(explicit, environ)


def test_unknown_catalogue_is_refused():
    with pytest.raises(UnknownLanguage):
        catalogue("fr")


# ------------------------------------------------------------------ the Chinese stubs


def test_every_language_has_a_stub_folder():
    assert set(STUB_FOLDERS) == set(LANGUAGES)


@pytest.mark.parametrize("lang", sorted(STUB_FOLDERS))
def test_stubs_are_valid_python(lang):
    folder = KIT_ROOT / STUB_FOLDERS[lang]
    for name, text in stubs(UNIT, lang).items():
        compile(text, f"{lang}:{name}", "exec")
        on_disk = folder / name
        assert on_disk.exists(), f"{on_disk} is missing: run `make exercises`"
        compile(on_disk.read_text(encoding="utf-8"), str(on_disk), "exec")


def test_chinese_stubs_carry_the_chinese_docstrings():
    zh = catalogue("zh")
    text = (KIT_ROOT / STUB_FOLDERS["zh"] / "ex1_corr2d.py").read_text(encoding="utf-8")
    assert zh.text("stub.module.ex1_corr2d").split("\n")[0] in text
    assert zh.text("stub.todo.corr2d") in text
    assert "Args:" not in text


# ------------------------------------------------------------------ a report in Chinese


def _flipped_in_chinese(result, out) -> None:
    assert result.returncode == 0, result.stderr
    zh, en = catalogue("zh"), catalogue("en")
    flipped = zh.text("mistake.flipped_kernel.title", name="corr2d")
    assert "计算的是卷积，而不是互相关" in flipped
    assert flipped in result.stdout
    assert en.text("mistake.flipped_kernel.title", name="corr2d") not in result.stdout
    assert zh.text("report.smallest") in result.stdout
    assert zh.text("test.corr2d.worked_example") in result.stdout
    feedback = (out / "feedback.md").read_text(encoding="utf-8")
    assert flipped in feedback
    assert "convolution, not a cross-correlation" not in feedback
    assert any(flipped in test["output"] for test in read_results(out)["tests"])


def test_grading_with_lang_zh_names_the_flipped_kernel_in_chinese(tmp_path):
    result = run_cli("grade", str(FLIPPED), "--lang", "zh", "--out", str(tmp_path))
    _flipped_in_chinese(result, tmp_path)


def test_autograder_lang_zh_has_the_same_effect(tmp_path):
    result = run_cli("grade", str(FLIPPED), "--out", str(tmp_path), env={LANG_ENV: "zh", "LANG": "en_US.UTF-8"})
    _flipped_in_chinese(result, tmp_path)
