"""Names nobody listed: given names, cues ("my colleague Bill") and unknown capitalised words.

A capitalised word is a name when it is a given name that is not also an ordinary word (Sarah,
Priya), a given name that is also a word (Bill, Grace) where a cue or a surname says it is a
person, or a word that is neither English nor a service term nor a listed place (Okafor). A
name takes in the title before it and the surnames after it, so "My name is Jo Green" leaves
no "Green" behind. Lower-case given names that are not words ("spoke to sarah") go too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .vocabulary import (
    CALENDAR,
    HONORIFICS,
    ORGANISATION_WORDS,
    SERVICE_TERMS,
    SHORT_NAMES,
    WORD_NAMES,
    _words,
    dictionary_words,
    first_names,
    in_dictionary,
    is_first_name,
    is_ordinary,
    is_place,
    is_surname,
    very_common_words,
    widely_used_first_names,
)


def _letters(test: Callable[[str], bool]) -> str:
    """A character class of the Latin, Greek and Cyrillic letters passing `test` (Wójcik, Zoë)."""
    chars = "".join(
        chr(point)
        for point in range(0x41, 0x530)
        if test(chr(point)) and unicodedata.category(chr(point)) in ("Lu", "Ll")
    )
    return "[" + re.escape(chars) + "]"


UPPER = _letters(str.isupper)
LOWER = _letters(str.islower)
# A capitalised word: Sarah, McDonald, O'Brien, Smith-Jones, Wójcik, Łukasz; not acronyms (DCS,
# SEND, DfE).
CAPITALISED = rf"(?:{UPPER}['’])?{UPPER}{LOWER}*{UPPER}?{LOWER}+(?:-{UPPER}{LOWER}+)*"
# A title may lead the run, with or without its full stop: "Prof. Hamid", "HMI Collins".
TITLE = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Cllr|Rev|Sir|Dame|HMI|Matron)\.?"
# Not the first half of a contraction: "Couldn't" is not the name "Couldn" and "'t".
CAPITAL_RUN = re.compile(
    rf"(?<![\w'’-])(?:{TITLE} )?{CAPITALISED}(?:['’]s)?"
    rf"(?: {CAPITALISED}(?:['’]s)?)*(?![\w-]|['’]\w)"
)
CAPITALISED_WORD = re.compile(rf"(?<![\w'’-])({CAPITALISED})(['’]s)?(?![\w-]|['’]\w)")
# "E. Walker": an initial before a surname.
INITIAL_NAME = re.compile(rf"(?<![\w.])[A-Z]\. ?({CAPITALISED})(?![\w-])")
# Names listed together: "Thanks [name], Sue and Raj".
AFTER_NAME = re.compile(rf"(\[name\](?:['’]s)?(?:, | and | & | or ))({CAPITALISED})(?![\w-])")
BEFORE_NAME = re.compile(rf"(?<![\w'’-])({CAPITALISED})((?:, | and | & | or )\[name\])")
# Words inside a capitalised run that say the next word is a person: "Thanks Bill", "Ask Gemma".
RUN_CUES = frozenset({"thanks", "thank", "ask", "dear", "hi", "hello", "cc", "congratulations"})
# After a given name that is also a word, a verb or "from" says it is a person: "Holly in
# business support organised…", "Grace chairs…", "Bill from the LGA…".
# ("Grace periods" stays: a plural noun looks like a verb, so only -ed forms count.)
_ROLES = (
    r"mentor|coach|buddy|manager|supervisor|colleague|facilitator|tutor|trainer|lecturer|"
    r"teacher|sounding board|role model|champion|advocate|ally|friend|leader|boss|sponsor|"
    r"assessor|speaker|director|chair|lead|"
    # The people a service's users meet: "The nurse, Joy, kept me calm", "Mark the paramedic".
    r"nurse|doctor|gp|paramedic|driver|receptionist|pharmacist|carer|call handler|handler|"
    r"consultant|therapist|physio|midwife|health visitor|social worker|key worker|worker|"
    r"officer|practitioner|volunteer|porter|technician|clinician|surgeon|dentist|"
    r"adviser|advisor|assistant|student|crew|sister|matron|care coordinator|purser|"
    r"stewardess|steward|flight attendant|crew member|agent|rep|engineer|cleaner|chef|"
    r"waiter|waitress|guard|interpreter|pharmacy technician|caseworker|key worker"
)
_OBJECT = r"(?:me|us|our|my|the|a|an|his|her|their|them|everyone|everybody|it|all)"
_BEEN = r"(?:is|was|has been|had been|has always been|'s been)"
PERSON_NEXT = re.compile(
    r"^,? (?:from|at|who|said|says|told|tells|asked|asks|thinks|thought|reckons|explained|"
    r"emailed|rang|phoned|[a-z]{3,}ed"
    r"|(?:and|&) (?:I|me|myself)"
    # "Will in HR", "in the data team": "in" a unit, not "Faith in leadership".
    r"|in (?:[A-Z]{2,}\b|(?:\w+ ){0,3}(?:team|teams|service|services|office|department|unit)\b"
    r"|(?:the )?(?:workforce|finance|payroll|legal|commissioning|performance|admin|"
    r"business support|safeguarding|fostering|adoption|policy|comms|communications|"
    r"learning and development|facilities|estates|reception|onboarding|operations|accounts|"
    r"sales|marketing|hr|it|customer services|client services|the (?:\w+ ){0,2}(?:depot|office|"
    r"branch|store|ward|clinic|hub))\b"
    r"|(?:\w+ ){1,3}[a-z]{3,}ed\b)"
    # A verb with an object: "Grace chairs our set", "Joy reminds us", "is helping me".
    rf"|[a-z]{{3,}}(?<!s)s {_OBJECT}"
    rf"|{_BEEN} [a-z]{{3,}}ing (?:{_OBJECT}|with|on|for)"
    rf"|{_BEEN} (?:so |really |very |just )?"
    r"(?:brilliant|amazing|fantastic|superb|wonderful|supportive|helpful|inspiring|a star|a rock)"
    # A role: "Joy was a fantastic coach", "Faith has been my mentor".
    rf"|{_BEEN} (?:a|an|my|our|the|such a) (?:[a-z]+ ){{0,2}}?(?:{_ROLES})"
    # An irregular past verb with an object: "Sunny ran our set", "Raj led the session".
    rf"|(?:ran|led|taught|showed|sent|met|brought|took) {_OBJECT}"
    # "Mark the paramedic", "Grace on reception", "Dawn on the phone".
    rf"|the (?:[a-z]+ ){{0,2}}?(?:{_ROLES})"
    r"|on (?:the )?(?:phone|reception|the desk|desk|switchboard|the ward|ward|duty)"
    r")\b"
)
# A verb that a person or a thing could do: a person only if "she" or "he" is in the comment.
VERB_NEXT = re.compile(
    r"^,? (?:has|had|is|was|does|did|will|would|can|could|"
    r"[a-z]{3,}(?<!s)s)\b"
)
PRONOUN = re.compile(r"\b(?:she|he|her|him|his|herself|himself)\b", re.IGNORECASE)
NOT_VERBS = frozenset(
    {
        "need",
        "feed",
        "seed",
        "speed",
        "bed",
        "red",
        "shed",
        "always",
        "perhaps",
        "sometimes",
        "towards",
    }
)
_RELATIONS = (
    r"colleagues?|manager|boss|director|supervisor|mentor|deputy|friend|husband|wife|"
    r"partner|son|daughter|mum|dad|mother|father|coach|lead|ad|dcs|sponsor|assessor|"
    r"team\s+manager|line\s+manager|practice\s+educator|head\s+of\s+\w+|"
    rf"{_ROLES}"
)
# Words just before a capitalised word that say a person follows.
CUE = re.compile(
    # "our family hub manager Kerry-Ann", "my coach was Carol": words between are allowed.
    rf"(?:\b(?:my|our|his|her|their|the|a|new|old|former|previous|current)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?(?:{_RELATIONS}),?(?:\s+(?:[a-z]+\s+){{0,4}}?"
    r"(?:is|was|has\s+been|will\s+be))?"
    r"|\b(?:name\s+is|names\s+are|called|named|known\s+as|thanks|thank\s+you|cc|ask|asked|"
    r"spoke\s+to|speak\s+to|talk\s+to|talked\s+to|talking\s+to|email|emailed|ring|rang|phone|"
    r"phoned|contact|with|and|from|by|to|for)"
    r")\s+$",
    re.IGNORECASE,
)
# A sign-off: the capitalised word after it is the writer ("Best wishes, Ade").
SIGN_OFF = re.compile(
    r"\b(?:best\s+wishes|(?:kind|warm|best)\s+regards|regards|many\s+thanks|thanks|cheers|"
    r"yours(?:\s+sincerely|\s+faithfully)?),?\s+$",
    re.IGNORECASE,
)
WHO_NEXT = re.compile(r"^,? who\b")
# A business or building named after a word: "Boots chemist", "the Riverside practice".
_PREMISES = (
    r"chemists?|pharmacy|surgery|practice|hospital|clinic|centre|center|school|college|"
    r"station|library|shop|store|supermarket|hotel|cafe|ward|unit|house|hall|road|street"
)
# Every word of a role or relation: the last word before a name must be one for ROLE_BEFORE.
ROLE_WORDS = frozenset(re.findall(r"[a-z]+", f"{_ROLES}|{_RELATIONS}")) - {"s", "w"}
PREMISES_NEXT = re.compile(rf"^ (?:{_PREMISES})\b", re.IGNORECASE)
ARTICLE_BEFORE = re.compile(r"(?:^|[^\w'’])(?:the|a|an)\s+$", re.IGNORECASE)
# "Ask Sunny the receptionist": a word followed by the role its holder has.
ROLE_NEXT = re.compile(rf"^,? the (?:[a-z]+ ){{0,2}}?(?:{_ROLES})\b")
# "my carer Precious", "The nurse, Joy,": after a role of one's own, a capitalised word that is
# not starting a sentence is the person (checked only where a role word is just before).
# ("the GP Surgery" is a place: after "the", only an aside between commas names the person.)
ROLE_BEFORE = re.compile(
    rf"\b(?:(?:my|our|his|her|their)\s+(?:[\w-]+\s+){{0,2}}?(?:{_RELATIONS}),?"
    rf"|the\s+(?:[\w-]+\s+){{0,2}}?(?:{_RELATIONS}),"
    # "thanks to nurse Angel", "Stewardess Holly": a role used as a title.
    rf"|(?:^|[^\w\s]\s*|\b(?:to|and|from|with|by|thanks|thank you)\s+)(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{_ROLES}))\s+$",
    re.IGNORECASE,
)
# Cues strong enough to make even an ordinary word a name: "my name is will green".
STRONG_CUE = re.compile(
    r"\b(?:my|his|her|their|our)\s+(?:full\s+)?names?\s+(?:is|are)\s+$", re.IGNORECASE
)
# Words that can follow "my name is" without being the name.
NOT_A_NAME = _words("""a an the not no so very really just quite in on at and or but i we you
it that this what irrelevant unimportant withheld private confidential anonymous""")
CUED_SURNAME = re.compile(r"\bnames?\s+(?:is|are)\s+([a-z'’-]+)\s+$", re.IGNORECASE)
WEAK_CUES = frozenset({"with", "and", "from", "by", "to", "for"})
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"(•*]|\s-)\s*$")
Record = Callable[[str], None]  # told each name found (for the review list)
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]+(?![\w-])")
# "my supervisor mark": a given name in lower case straight after a relation.
RELATION_BEFORE = re.compile(
    rf"\b(?:my|our|his|her|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{_RELATIONS})"
    r"(?:\s+(?:is|was))?,?\s+$",
    re.IGNORECASE,
)
RELATION_WORD = re.compile(rf"\b(?:{_RELATIONS}|{_ROLES})\b")
# "Mentor: bill hargreaves", "mentor was jack": a relation as a label, with no "my".
RELATION_LABEL = re.compile(rf"\b(?:{_RELATIONS}|{_ROLES})(?::|\s+(?:is|was))\s+$", re.IGNORECASE)
# "mrs begum", "dr patel": a title in lower case.
TITLE_BEFORE = re.compile(r"\b(?:mr|mrs|ms|mx|dr|prof|cllr)\.?\s+$")
TITLE_WORDS = frozenset({"mr", "mrs", "ms", "mx", "dr", "prof", "cllr"})
# "thanks to kemi", "shoutout to dami and kemi": someone thanked, in lower case.
THANKED_BEFORE = re.compile(
    r"\b(?:thanks|thank\s+you|shout\s?-?outs?|cheers|kudos|props)\s+(?:to\s+)?"
    r"(?:[a-z'’-]+\s+(?:and|&)\s+)?$"
)
THANKS_WORDS = frozenset({"thanks", "thank", "shoutout", "shout", "cheers", "kudos", "props"})
# The cheap test for the word-by-word pass: a thanks word with a lower-case word after it.
THANKED_LOWER = re.compile(
    r"\b(?:thanks|thank\s+you|shout\s?-?outs?|cheers|kudos|props)\s+(?:to\s+)?[a-z]", re.IGNORECASE
)
# A lower-case surname straight after a name: "[name] o'connor".
SURNAME_AFTER = re.compile(r"(\[name\]) ([a-z][a-z'’-]+)(?![\w-])")
# "Emma B.": an initial after a name is part of it.
INITIAL_AFTER = re.compile(r"\[name\] (?!I\.)[A-Z]\.(?=\s|$)")
# After "my manager" these are verbs, not names ("my manager will…", "my coach rose…").
NOT_AFTER_RELATION = _words("""will may can must might shall would could should did does do
rose drew sue pat bill""")


def redact_names(text: str, extra: frozenset[str], record: Callable[[str], None]) -> str:
    """Replace unlisted names with [name]; `record` is told each one (for the review list)."""
    caught: list[str] = []

    def note(value: str) -> None:
        caught.append(value)
        record(value)

    if not text.islower():
        text = INITIAL_NAME.sub(lambda match: _initial(match, note), text)
        text = CAPITAL_RUN.sub(lambda match: _capitalised(match, extra, note), text)
        if "[name]" in text:
            text = _listed_together(text, note)
    # Most comments hold no lower-case given name and no "my name is": skip the word-by-word pass.
    lowered = text.lower()
    words = set(re.findall(r"[a-z]+", text))
    if (
        "name" in lowered
        or not _lower_names().isdisjoint(words)
        or not TITLE_WORDS.isdisjoint(words)
        or (not THANKS_WORDS.isdisjoint(words) and THANKED_LOWER.search(text) is not None)
        or (
            not (first_names().isdisjoint(words) and SHORT_NAMES.isdisjoint(words))
            and RELATION_WORD.search(lowered)
        )
    ):
        text = LOWER_WORD.sub(lambda match: _lower(match, note), text)
    if caught:
        text = _after_caught(text, caught, note)
    return text


def _after_caught(text: str, caught: list[str], record: Record) -> str:
    """Initials and lower-case surnames after a caught name, and its other mentions, go too."""
    text = INITIAL_AFTER.sub("[name]", text)
    text = SURNAME_AFTER.sub(lambda match: _surname_after(match, record), text)
    # "Faith has been my mentor … I'd recommend Faith": the same name elsewhere in the comment.
    tokens = {
        _bare_case(token)
        for value in caught
        for token in value.split()
        if token[:1].isupper() and _bare(token) not in HONORIFICS and len(token) > 2
    }
    return CAPITALISED_WORD.sub(
        lambda match: _again(match, record) if match.group(1) in tokens else match.group(0), text
    )


def _again(match: re.Match[str], record: Record) -> str:
    before = match.string[max(0, match.start() - 40) : match.start()]
    # "Patience is wearing thin … Patience Okoro": at a sentence start, a word may be the word.
    if SENTENCE_START.search(before) and is_ordinary(match.group(0)):
        return match.group(0)
    record(match.group(0))
    return "[name]" + (match.group(2) or "")


def _surname_after(match: re.Match[str], record: Record) -> str:
    word = match.group(2)
    if word in NOT_A_NAME or not (
        (is_surname(word) and word not in very_common_words()) or not is_ordinary(word)
    ):
        return match.group(0)
    record(word)
    return match.group(1)


def _bare_case(word: str) -> str:
    return re.sub(r"['’]s$", "", word).strip(".,")


@lru_cache(maxsize=1)
def _lower_names() -> frozenset[str]:
    """Given names that are not also words: a name even when written in lower case."""
    return frozenset(name for name in first_names() if not is_ordinary(name))


@lru_cache(maxsize=1)
def _relation_names() -> frozenset[str]:
    """Given names that are also words, a name in lower case only after "my manager" etc."""
    return frozenset(
        name
        for name in widely_used_first_names()
        if is_ordinary(name) and name not in NOT_AFTER_RELATION
    )


@lru_cache(maxsize=100_000)
def _maybe_name(word: str) -> bool:
    """False for a word that can never start a name here: ordinary, not a given or surname."""
    bare = _bare(word)
    if bare in SERVICE_TERMS or bare in ORGANISATION_WORDS or PREMISES_NEXT.match(" " + bare):
        return False
    return (
        bare in HONORIFICS
        or is_first_name(word)
        or is_surname(word)
        or not is_ordinary(word)
        or not in_dictionary(word)
    )


def _capitalised(match: re.Match[str], extra: frozenset[str], record: Record) -> str:
    text: str = match.group(0)
    words = text.split(" ")
    maybe = any(_maybe_name(word) for word in words)
    if not maybe and not _said_of_person(match) and not _holds_role(match):
        return text  # "The", "Budget cuts": the common case, decided from a cache
    before = match.string[max(0, match.start() - 40) : match.start()]
    initial = bool(SENTENCE_START.search(before))
    if is_place(text) or all(_bare(word) in SERVICE_TERMS for word in words):
        return text
    if (
        len(words) == 1
        and ARTICLE_BEFORE.search(before)
        and not (is_first_name(text) or is_surname(text) or _holds_role(match))
    ):
        return text  # "the Jupyter notebook": a word on no name list, after an article
    if (
        PREMISES_NEXT.match(match.string[match.end() : match.end() + 20])
        and _bare(words[0]) not in HONORIFICS
    ):
        return text  # "ring Boots chemist", "Elm Tree Surgery": a business, not a person
    if _holds_role(match):
        record(text)  # an ordinary word a role makes a person: "the receptionist, Sunny"
        return "[name]"
    if SIGN_OFF.search(before) and not initial_word_is_term(words[0]):
        # "Kind regards, Ade Okafor": the writer signing off, with their surname.
        end = 1
        while end < len(words) and _joins(words[end]):
            end += 1
        record(" ".join(words[:end]))
        return " ".join(["[name]", *words[end:]])
    cue = CUE.search(before)
    # "with", "and", "to" … only mark a person before a given name, not before "Social Care".
    weak = cue is not None and cue.group(0).strip().lower() in WEAK_CUES
    after = match.string[match.end() : match.end() + 50]
    named = [
        _is_name(index, words, initial, bool(cue) and not weak, weak, extra, after, match.string)
        for index in range(len(words))
    ]
    if not any(named):
        return text
    start = named.index(True)
    end = len(named) - 1 - named[::-1].index(True)
    while start > 0 and _bare(words[start - 1]) in HONORIFICS | _names(words[start - 1]):
        start -= 1
    while end + 1 < len(words) and _joins(words[end + 1]):
        end += 1
    value = " ".join(words[start : end + 1])
    record(value)
    tail = "'s" if re.search(r"['’]s$", words[end]) else ""
    return " ".join([*words[:start], "[name]" + tail, *words[end + 1 :]])


def _said_of_person(match: re.Match[str]) -> bool:
    """An ordinary word the context makes a person: "to Precious, who…", "Regards, Ade"."""
    string, start = match.string, match.start()
    if WHO_NEXT.match(string[match.end() : match.end() + 8]):
        return True
    return string[max(0, start - 2) : start] == ", " and bool(
        SIGN_OFF.search(string[max(0, start - 30) : start])
    )


def _holds_role(match: re.Match[str]) -> bool:
    """One capitalised word beside a role, not starting a sentence: "my carer Precious"."""
    word, string, start = match.group(0), match.string, match.start()
    after = string[match.end() : match.end() + 40]
    before = string[max(0, start - 40) : start]
    # Cheap tests first: this runs on most capitalised words.
    role_next = after.startswith((" the ", ", the ")) and ROLE_NEXT.match(after) is not None
    last = before.rstrip(" ,").rsplit(None, 1)[-1:]
    if not role_next and not (last and last[0].lower() in ROLE_WORDS):
        return False
    bare = _bare(word)
    if " " in word or not _one_person(word) or is_place(word) or bare in CALENDAR:
        return False
    if bare in SERVICE_TERMS or bare in ORGANISATION_WORDS or PREMISES_NEXT.match(" " + bare):
        return False
    return not SENTENCE_START.search(before) and (role_next or bool(ROLE_BEFORE.search(before)))


def _one_person(word: str) -> bool:
    """Not an acronym ("ADs") nor a plural ("Managers"): a word that could be one person."""
    bare = _bare(word)
    return word[1:].islower() and not (bare.endswith("s") and in_dictionary(bare[:-1]))


def initial_word_is_term(word: str) -> bool:
    """A service term, organisation word or place that a sign-off may be followed by."""
    bare = _bare(word)
    return (
        bare in SERVICE_TERMS
        or bare in ORGANISATION_WORDS
        or bare in HONORIFICS
        or (is_place(word))
    )


def _is_name(
    index: int,
    words: list[str],
    initial: bool,
    cued: bool,
    weak: bool,
    extra: frozenset[str],
    after: str = "",
    comment: str = "",
) -> bool:
    word, bare = words[index], _bare(words[index])
    if bare in SERVICE_TERMS or bare in HONORIFICS or bare in ORGANISATION_WORDS:
        return False
    first_of_run = index == 0
    after_title = index > 0 and _bare(words[index - 1]) in HONORIFICS
    cued = (cued and first_of_run) or (index > 0 and _bare(words[index - 1]) in RUN_CUES)
    if after_title or (cued and _maybe_name(word)):
        return True
    if (
        weak
        and first_of_run
        and not in_dictionary(word)
        and not is_place(word)
        and not _compound(word)
        and bare not in CALENDAR
    ):
        return True  # "with Hamid", "to Matt": common on the web, but not an English word
    last = index == len(words) - 1
    if (
        (is_first_name(word) or (is_surname(word) and bare not in very_common_words()))
        and is_ordinary(word)
        and last
        and _person_follows(after, comment)
        # "Will the nurse be there?": a question's verb, not a person.
        and not (initial and bare in NOT_AFTER_RELATION and after.startswith(" the "))
    ):
        return True
    if (
        (cued or (weak and first_of_run))
        and last
        and WHO_NEXT.match(after)
        and _one_person(word)
        and not is_place(word)
    ):
        return True  # "thanks to Precious, who covered": "who" is said of people
    if (
        is_first_name(word)
        and re.search(r"['’]s$", word)
        and not (index > 0 and _bare(words[index - 1]) in ("st", "saint"))
    ):
        return True  # "Grace's feedback": a given name owning something is a person
    if is_first_name(word):
        if not is_ordinary(word):
            # Sarah, Priya: names wherever they stand, unless the comments use it as a word.
            return bare not in extra or not (first_of_run and initial)
        # Bill, Grace, Mark: a person when a surname follows, or a cue says so.
        following = words[index + 1] if index + 1 < len(words) else ""
        surname_next = bool(following) and (
            is_surname(following) or not is_ordinary(following, extra)
        )
        return (surname_next or (first_of_run and weak)) and not (
            first_of_run and initial and not surname_next
        )
    if (
        index > 0
        and is_first_name(words[index - 1])
        and (is_surname(word) or not is_ordinary(word, extra))
    ):
        return True
    return not is_ordinary(word, extra) and not is_place(word) and not _compound(word)


@lru_cache(maxsize=50_000)
def _compound(word: str) -> bool:
    """Two ordinary words run together and on no name list: a place ("Eastfield"), not a name."""
    lower = _bare(word)
    if "-" in lower or is_first_name(lower) or is_surname(lower):
        return False
    words = dictionary_words()
    return any(lower[:cut] in words and lower[cut:] in words for cut in range(4, len(lower) - 3))


def _joins(word: str) -> bool:
    """A capitalised word after a name that is part of it: a surname, or not a common word."""
    bare = _bare(word)
    if bare in SERVICE_TERMS or bare in ORGANISATION_WORDS or is_place(word):
        return False
    return (
        is_surname(word)
        or not is_ordinary(word)
        or is_first_name(word)
        or bare not in very_common_words()
    )


def _person_follows(after: str, comment: str = "") -> bool:
    """A person's verb or preposition after a given name that is also a word."""
    match = PERSON_NEXT.match(after)
    if match is not None and match.group(0).split()[-1] not in NOT_VERBS:
        return True
    # "Faith has been…", "Mark runs…": a person when the comment says "she" or "he".
    verb = VERB_NEXT.match(after)
    return (
        verb is not None
        and verb.group(0).split()[-1] not in NOT_VERBS
        and (PRONOUN.search(comment) is not None)
    )


def _initial(match: re.Match[str], record: Record) -> str:
    word, whole = match.group(1), match.group(0)
    if is_surname(word) or not in_dictionary(word) or not is_ordinary(word):
        record(whole)
        return "[name]"
    return whole


def _listed_together(text: str, record: Record) -> str:
    """Given names beside a detected name, joined by commas or "and", are names too."""

    def is_person(word: str) -> bool:
        return is_first_name(word) or is_surname(word) or not in_dictionary(word)

    for _ in range(5):
        changed = AFTER_NAME.sub(
            lambda m: (
                m.group(1) + _mark(m.group(2), record) if is_person(m.group(2)) else m.group(0)
            ),
            text,
        )
        changed = BEFORE_NAME.sub(
            lambda m: (
                _mark(m.group(1), record) + m.group(2) if is_first_name(m.group(1)) else m.group(0)
            ),
            changed,
        )
        if changed == text:
            break
        text = changed
    return text


def _mark(word: str, record: Record) -> str:
    record(word)
    return "[name]"


def _lower(match: re.Match[str], record: Record) -> str:
    word: str = match.group(0)
    before = match.string[max(0, match.start() - 40) : match.start()]
    # "my name is will green": after a strong cue the next word or two are the name.
    named = "name" in before.lower()  # most words: no cue to look for
    cued_first = CUED_SURNAME.search(before) if named else None
    strong = bool(named and STRONG_CUE.search(before)) or bool(
        cued_first
        and cued_first.group(1).lower() not in NOT_A_NAME
        and (is_surname(word) or not is_ordinary(word))
    )
    if strong and word not in NOT_A_NAME:
        record(word)
        return "[name]"
    if TITLE_BEFORE.search(before) and word not in NOT_A_NAME and _maybe_name(word):
        record(word)  # "mrs begum"
        return "[name]"
    if THANKED_BEFORE.search(before) and not in_dictionary(word) and not is_ordinary(word):
        record(word)  # "shout out to kemi and dami": thanked, and no English word
        return "[name]"
    if not is_first_name(word):
        return word
    label = RELATION_LABEL.search(before)
    if label and (label.group(0).rstrip().endswith(":") or word not in NOT_AFTER_RELATION):
        record(word)  # "Mentor: bill", "mentor was jack"
        return "[name]"
    if is_ordinary(word) and not (word in _relation_names() and RELATION_BEFORE.search(before)):
        return word
    record(word)
    return "[name]"


def _bare(word: str) -> str:
    return re.sub(r"['’]s$", "", word).lower().strip(".")


def _names(word: str) -> set[str]:
    # A given name, or a word only common on the web (Kwame), just before a detected surname
    # belongs to it ("Bill Okafor", "Kwame Mensah").
    # A given name that is also a word ("Sunny Okafor") joins its surname too.
    joins = is_first_name(word) or not in_dictionary(word) or _bare(word) in WORD_NAMES
    return {_bare(word)} if joins and _bare(word) not in SERVICE_TERMS else set()
