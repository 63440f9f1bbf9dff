"""A large, deterministic content folder for scale benchmarks: the real content/ plus N generated entries.

    .venv/bin/python bench/corpus.py --n 10000 --out DIR [--seed 2030] [--force] [--hash]

DIR receives a copy of the repository's content/ and N entries in connect-site's own format:
about half initiatives (`initiatives/<slug>.md`) and half practices (`practices/<slug>.md`),
spread over the real country codes (`connect_site.refdata.countries()`) and the real target
ids (content/targets/*.yaml). Each body has about 400 words of Markdown: two `##` headings, a
bulleted list, a small table, a few links and emphasis. The words come from a fixed
vocabulary of plain words and made-up ones, drawn with a Zipf-like frequency, so that a
search index sees many distinct words, as it would on a real site.

Entry i is drawn from its own `random.Random(f"{seed}:{i}")`: the same arguments give the
same bytes, and the corpus of N entries is a subset of the corpus of M > N entries. The
result passes `connect-site check` with no errors.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PREFIX = "bench"  # every generated slug starts with it, so no real slug is ever overwritten

INITIATIVE_KINDS = ("strategy", "policy", "law-or-regulation", "programme", "project", "plan", "platform")
STATUSES = ("planned", "ongoing", "completed")
PRACTICE_KINDS = (
    "challenge",
    "lesson-learned",
    "expertise",
    "guideline",
    "success-story",
    "case-study",
    "good-practice",
    "solution",
    "publication",
    "policy",
)
CONTRIBUTOR_TYPES = (
    "member-state",
    "sector-member",
    "associate",
    "academia",
    "un-entity",
    "civil-society",
    "private-sector",
    "other",
)

# Plain words first: they are drawn most often (Zipf-like weights by rank).
PLAIN = """
the of and to in a for on with by as is that are from at this its their was be has have which
digital national access broadband network service services mobile internet rural school schools
skills women girls youth government ministry authority regulator operator operators community
communities data policy strategy plan programme project platform law regulation security
cybersecurity emergency telecommunication infrastructure fibre spectrum coverage affordable
affordability connectivity inclusion innovation learning training centre centres public private
partners partnership local regional international development growth economy market investment
households users citizens devices online content e-government health education agriculture
finance payments identity trust privacy resilience disaster response early warning satellite
towers backbone last mile villages districts provinces cities capital indicators targets
progress report survey statistics monitoring evaluation pilot phase scale launch budget funding
donors agency universal fund obligations licensing consultation stakeholders civil society
academia industry startups entrepreneurs small enterprises jobs employment literacy curriculum
teachers libraries hubs laboratories research standards interoperability cloud open source
energy solar electricity waste recycling environment climate sustainable green efficient
""".split()
SYLLABLES = "ka lo mi ne ru ta vo zi be da fe gu ho ji ku la ma no pe qui ra se ti u ve wa xe yo zu an el in or".split()
N_MADE_UP = 20_000


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    cum_weights: list[float]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)


def vocabulary() -> Vocabulary:
    """The plain words, then made-up ones ("kalomi", "netavo", ...), weighted 1/rank."""
    made_up: list[str] = []
    for length in (2, 3, 4):
        for combo in itertools.product(SYLLABLES, repeat=length):
            made_up.append("".join(combo))
            if len(made_up) >= N_MADE_UP:
                break
        if len(made_up) >= N_MADE_UP:
            break
    made_up_rng = random.Random("vocabulary")
    made_up_rng.shuffle(made_up)
    words = list(dict.fromkeys(PLAIN + made_up))
    weights = list(itertools.accumulate(1.0 / (rank + 2) for rank in range(len(words))))
    return Vocabulary(words, weights)


def target_ids(content: Path) -> list[str]:
    ids = []
    for path in sorted((content / "targets").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids.append(str(data["id"]))
    return sorted(ids, key=lambda t: [int(p) if p.isdigit() else p for p in t.split(".")])


def country_codes() -> dict[str, str]:
    from connect_site.content.refdata import countries

    return {iso3: ref.name for iso3, ref in sorted(countries().items())}


def q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def sentence(rng: random.Random, vocab: Vocabulary, lo: int, hi: int) -> str:
    words = vocab.draw(rng, rng.randint(lo, hi))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random, vocab: Vocabulary, n_words: int) -> tuple[str, int]:
    """About n_words words in sentences of 8 to 20 words; one phrase in emphasis."""
    sentences: list[str] = []
    count = 0
    while count < n_words:
        s = sentence(rng, vocab, 8, 20)
        sentences.append(s)
        count += s.count(" ") + 1
    i = rng.randrange(len(sentences))
    words = sentences[i].split(" ")
    if len(words) > 4:
        j = rng.randrange(1, len(words) - 3)
        mark = "**" if rng.random() < 0.5 else "*"
        words[j] = mark + words[j]
        words[j + 1] = words[j + 1] + mark
        sentences[i] = " ".join(words)
    return " ".join(sentences), count


def body(rng: random.Random, vocab: Vocabulary, slug: str, place: str) -> str:
    """About 400 words: intro, a heading with a list, a heading with a table, a closing paragraph."""
    intro, _ = paragraph(rng, vocab, 80)
    context, _ = paragraph(rng, vocab, 70)
    results, _ = paragraph(rng, vocab, 70)
    closing, _ = paragraph(rng, vocab, 70)
    heading1 = " ".join(vocab.draw(rng, 3)).capitalize()
    heading2 = " ".join(vocab.draw(rng, 2)).capitalize()
    bullets = [" ".join(vocab.draw(rng, rng.randint(6, 10))).capitalize() for _ in range(4)]
    years = sorted(rng.sample(range(2015, 2025), 3))
    rows = [f"| {y} | {' '.join(vocab.draw(rng, 2))} | {rng.randint(1, 100_000):,} |" for y in years]
    link1 = f"https://example.org/{slug}/report-{rng.randint(1, 99)}"
    link2 = f"https://example.net/{place}/{'-'.join(vocab.draw(rng, 2))}"
    return (
        f"{intro} See [the {place} overview]({link1}).\n\n"
        f"## {heading1}\n\n{context}\n\n" + "".join(f"- {b}\n" for b in bullets) + f"\n## {heading2}\n\n{results}\n\n"
        "| Year | Measure | Value |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"{closing}\n\nSource: [{' '.join(vocab.draw(rng, 3))}]({link2}).\n"
    )


def slug_of(kind: str, i: int, words: list[str]) -> str:
    tail = "-".join(re.sub(r"[^a-z0-9]+", "", w) or "x" for w in words)
    return f"{PREFIX}-{kind}-{i:06d}-{tail}"[:80].rstrip("-")


def entry(
    i: int, seed: int, vocab: Vocabulary, codes: list[str], names: dict[str, str], targets: list[str]
) -> tuple[str, str]:
    """The relative path and text of generated entry i (even i: an initiative, odd i: a practice)."""
    rng = random.Random(f"{seed}:{i}")
    title_words = vocab.draw(rng, rng.randint(3, 6))
    n_targets = rng.choice((1, 1, 2, 2, 3))
    entry_targets = sorted(rng.sample(targets, n_targets), key=targets.index)
    if i % 2 == 0:
        countries = rng.sample(codes, rng.choice((1, 1, 1, 2, 3)))
        place = names[countries[0]]
        slug = slug_of("initiative", i, title_words[:3])
        start = rng.randint(2000, 2024)
        fields = [
            f"title: {q(place + ': ' + ' '.join(title_words).capitalize())}",
            f"countries: [{', '.join(countries)}]",
            f"targets: [{', '.join(q(t) for t in entry_targets)}]",
            f"kind: {rng.choice(INITIATIVE_KINDS)}",
            f"status: {rng.choice(STATUSES)}",
            f"lead: {q('Ministry of ' + ' '.join(vocab.draw(rng, 2)).title() + ', ' + place)}",
            f"start: {start}" if rng.random() < 0.5 else f'start: "{start}-{rng.randint(1, 12):02d}"',
            f"url: {q('https://example.org/initiatives/' + slug)}",
            f"summary: {q(sentence(rng, vocab, 14, 24))}",
        ]
        rel = f"initiatives/{slug}.md"
    else:
        n_countries = rng.choice((0, 1, 1, 2, 3))
        countries = rng.sample(codes, n_countries)
        place = names[countries[0]] if countries else "global"
        slug = slug_of("practice", i, title_words[:3])
        fields = [
            f"title: {q(' '.join(title_words).capitalize())}",
            f"kind: {rng.choice(PRACTICE_KINDS)}",
            "contributor:",
            f"  name: {q(' '.join(vocab.draw(rng, 3)).title())}",
            f"  type: {rng.choice(CONTRIBUTOR_TYPES)}",
            f"targets: [{', '.join(q(t) for t in entry_targets)}]",
            f"countries: [{', '.join(countries)}]",
            f"date: {rng.randint(2005, 2024)}",
            f"url: {q('https://example.org/practices/' + slug)}",
            f"summary: {q(sentence(rng, vocab, 14, 24))}",
        ]
        rel = f"practices/{slug}.md"
    text = "---\n" + "\n".join(fields) + "\n---\n" + body(rng, vocab, slug, re.sub(r"[^a-z0-9]+", "-", place.lower()))
    return rel, text


def generate(n: int, out: Path, seed: int = 2030, force: bool = False) -> list[str]:
    """Copy content/ into out and add n entries; returns the generated files' paths relative to out."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty (use --force to replace it)")
        shutil.rmtree(out)
    elif out.exists():
        out.rmdir()
    shutil.copytree(CONTENT, out)
    vocab = vocabulary()
    names = country_codes()
    codes = list(names)
    targets = target_ids(CONTENT)
    written = []
    for i in range(n):
        rel, text = entry(i, seed, vocab, codes, names, targets)
        (out / rel).write_text(text, encoding="utf-8")
        written.append(rel)
    return written


def digest(folder: Path) -> str:
    """sha256 over every file's relative path and bytes, in sorted order."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="how many entries to add")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--force", action="store_true", help="replace --out when it is not empty")
    parser.add_argument("--hash", action="store_true", help="print the sha256 of the whole folder")
    args = parser.parse_args()
    if args.n < 0:
        parser.error("--n must be 0 or more")
    start = time.perf_counter()
    written = generate(args.n, args.out, args.seed, args.force)
    elapsed = time.perf_counter() - start
    print(f"{args.out}: content/ plus {len(written)} entries in {elapsed:.1f} s", file=sys.stderr)
    if args.hash:
        print(digest(args.out))


if __name__ == "__main__":
    main()
