"""Re-make seslip_responses.csv: 71 synthetic respondents matching the SESLIP report's tables.

Run: .venv/bin/python tests/data/make_seslip_responses.py

Closed answers reproduce the counts in seed 004_* exactly, with two corrections its own figures
force: the years-in-management table adds up to 69, so two respondents skip that question; the
satisfaction table adds up to 72 for 71 respondents, and its stated percentages (3 = 4.23%,
37 = 52%, 25 = 35.2%, all of 71) leave 6, not 7, answering "OK". Free text is invented, drawing
on the themes the report describes; not everyone answers every question.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2019
OUT = Path(__file__).resolve().parents[2] / "survey_app" / "demo" / "data" / "seslip_responses.csv"
COLUMNS = [
    "gender",
    "years_management",
    "satisfaction",
    "best_things",
    "challenges",
    "aspiration",
    "attractions",
    "put_off",
    "barriers",
    "enablers",
    "development",
    "region_could",
]
CLOSED = {
    "gender": {"Male": 18, "Female": 53},
    "years_management": {
        "1 – 2 years": 16,
        "3 to 5 years": 17,
        "6 to 10 years": 16,
        "10 years plus": 20,
        "": 2,
    },
    "satisfaction": {
        "Dissatisfied": 2,
        "Fairly dissatisfied": 1,
        "OK": 6,
        "Fairly satisfied": 37,
        "Satisfied": 25,
    },
    "aspiration": {
        "Planning to apply": 14,
        "Likely to apply": 14,
        "May apply": 18,
        "Unlikely to apply": 21,
        "Definitely won’t apply": 4,
    },
}
# People rarely answer with identical sentences; a few openings vary the wording.
LEAD_INS = ("", "", "", "", "For me, ", "Honestly, ", "In my authority, ", "Above all, ")
ANSWER_RATE = {
    "best_things": 0.9,
    "challenges": 0.9,
    "attractions": 0.8,
    "put_off": 0.8,
    "barriers": 0.75,
    "enablers": 0.7,
    "development": 0.75,
    "region_could": 0.6,
}
TEXT = {
    "best_things": [
        "Working to enable more families to stay safely together.",
        "Making a difference to the lives of the most vulnerable children and young people.",
        "Making a difference for all children.",
        "Improving outcomes for disabled children and their families.",
        "I still feel connected to practice through the social workers I manage.",
        "Having the scope to develop services and try new ideas.",
        "A broad and varied range of work, no two days are the same.",
        "Developing and working with a strong team.",
        "A good, strong management team around me who support each other.",
        "Seeing staff grow and take on more responsibility.",
        "Being part of a transformation programme that is moving us in the right direction.",
    ],
    "challenges": [
        "Time. There is never enough of it.",
        "Budgets keep shrinking while demand keeps rising.",
        "The sheer volume of work.",
        "Far too many meetings now that other posts have disappeared.",
        "Less early help means more families reach us in crisis.",
        "No time for reflection and planning.",
        "I feel I am firefighting when I should be leading by influence.",
        "Travel time across a large county.",
        "Lack of administration support.",
        "Lack of autonomy over decisions that affect my service.",
        "Change fatigue: restructure follows restructure.",
        "Not being able to be as rigorous as I would wish.",
        "Not feeling on top of things.",
    ],
    "attractions": [
        "Being able to influence change rather than just implement it.",
        "Thinking strategically and shaping future developments.",
        "Being included in strategic decisions instead of hearing about them afterwards.",
        "More room to innovate and be creative.",
        "Developing and leading people across a wider service.",
        "It would be a learning opportunity for me as well.",
        "Working with the wider council and politicians to put children at the centre.",
        "Career enhancement.",
        "The financial reward.",
    ],
    "put_off": [
        "The volume of work: my own managers are clearly overworked.",
        "Less support the higher you go.",
        "A poorer work life balance.",
        "Even less time for reflection.",
        "Working with local politicians; I have had little exposure to that.",
        "My political experience is limited to my own area, not wider council business.",
        "I would feel very exposed and not able to support my leader.",
        "I do not really know what an AD does day to day.",
        "The impact on my family.",
    ],
    "barriers": [
        "Very few authorities will consider someone without a social work qualification.",
        "My background is in youth justice and that seems to rule me out.",
        "Not enough breadth of experience across education and social care.",
        "Interims and consultants are brought in instead of growing our own staff.",
        "Succession planning here is non-existent.",
        "Not knowing what skills and knowledge an AD role really needs.",
        "Lack of training to develop the skills to succeed.",
        "No confidence I would be properly inducted and supported.",
        "I would have to move authority and my family roots are here.",
        "Lack of confidence in my own ability.",
    ],
    "barriers_women": [
        "The aggressive macho culture of our organisation.",
        "Subtly women are having to work harder for the same credit.",
        "Women don't blow their own trumpet as much as men.",
        "Returning after maternity leave set my career back.",
        "A lack of flexible arrangements for parenting and working.",
    ],
    "enablers": [
        "Coaching has helped me think about the next step.",
        "Sector led improvement work and peer reviews gave me a wider view.",
        "Good quality line management that takes my development seriously.",
        "A clear programme for personal and professional development.",
        "A focus on competences rather than qualifications.",
        "It would need to be the right type of authority, with a culture of developing people.",
        "Supportive managers who are realistic about work life balance.",
        "Supervision that looks at my growth, not just tasks.",
        "Opportunities to work with peers in other authorities again.",
        "Being actively encouraged by my director to think about progression.",
    ],
    "development": [
        "Coaching from someone outside my own or a neighbouring authority.",
        "Mentoring by a serving DCS.",
        "Cross boundary action learning sets.",
        "Shadowing an AD or DCS in another authority.",
        "A secondment or project in another authority.",
        "Training on working with politicians.",
        "How to manage risk and motivate staff in tough environments.",
        "Report writing and running short, effective meetings.",
        "A programme like Aspirant Directors but for third tier officers.",
        "Joint training with other authorities.",
    ],
    "region_could": [
        "A regional succession planning statement shared by all authorities.",
        "Advertise development opportunities and vacancies across the region.",
        "A forum or network for third tier officers.",
        "An annual event for heads of service run by ADs and DCSs.",
        "Make the AD and DCS roles transparent, for example a day in the life blog.",
        "A regional pool of coaches, mentors and action learning facilitators.",
        "Support for women leaders in succession planning.",
        "Help DCSs find alternatives to interims and agencies.",
        "A regional leadership programme including council wide finances and partnership working.",
        "Organise shadowing and project exchanges between authorities.",
    ],
}


def closed_columns(rng: random.Random) -> dict[str, list[str]]:
    """Each closed column: the table's counts as labels, shuffled independently."""
    columns = {}
    for item_id, counts in CLOSED.items():
        values = [label for label, n in counts.items() for _ in range(n)]
        rng.shuffle(values)
        columns[item_id] = values
    return columns


def free_text(rng: random.Random, item_id: str, gender: str) -> str:
    """One to three sentences from the item's themes, or '' for a respondent who skipped it."""
    if rng.random() > ANSWER_RATE[item_id]:
        return ""
    pool = list(TEXT[item_id])
    if item_id == "barriers" and gender == "Female":
        pool += TEXT["barriers_women"]
    sentences = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
    lead_in = rng.choice(LEAD_INS)
    if lead_in:
        first = sentences[0]
        keep_capital = first.split()[0] in ("I", "AD", "DCS") or first[:2].isupper()
        sentences[0] = lead_in + (first if keep_capital else first[0].lower() + first[1:])
    return " ".join(sentences)


def make_rows(seed: int = SEED) -> list[dict[str, str]]:
    """71 respondents as {item id: option label or text}."""
    rng = random.Random(seed)
    columns = closed_columns(rng)
    rows = []
    for index in range(len(columns["gender"])):
        row = {item_id: values[index] for item_id, values in columns.items()}
        for item_id in ANSWER_RATE:
            row[item_id] = free_text(rng, item_id, row["gender"])
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def main() -> None:
    """Write the CSV next to this script."""
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(make_rows())


if __name__ == "__main__":
    main()
