"""Rules the loader reports while reading and validating files; documented here with the rest.

Each docstring is the rule's documentation: what it finds, why it matters, a FAIL and a PASS
example, and the fix. The loader stops a pack with any of these errors from running.
"""

from __future__ import annotations

from ms_navigator import ruleids
from ms_navigator.problems import Level
from ms_navigator.rules.base import documented

SYNTAX = documented(ruleids.SYNTAX, Level.ERROR, """
    The file is not valid YAML (or holds more than one document).

    FAIL:
        title: Initial identification
          section: "4.1"
    PASS:
        title: Initial identification
        section: "4.1"

    Fix: line keys up under their parent with spaces (never tabs); quote text holding ': '.
""")

SCHEMA = documented(ruleids.SCHEMA, Level.ERROR, """
    A key is missing, unknown, misspelt, or its value has the wrong kind.

    FAIL:
        - id: q_danger
          type: question
          fact: immediate_danger
          txt: Is anyone in immediate danger?
    PASS:
        - id: q_danger
          type: question
          fact: immediate_danger
          text: Is anyone in immediate danger?

    Fix: follow the message, which names the key; `ms-navigator schema pathway` prints every key.
""")

DUPLICATE_KEY = documented(ruleids.DUPLICATE_KEY, Level.ERROR, """
    A key appears twice in one mapping (YAML would silently keep only the last).

    FAIL:
        next: s_refer
        next: s_notify
    PASS:
        next: s_refer

    Fix: keep the one you mean and delete the other.
""")

ANCHOR = documented(ruleids.ANCHOR, Level.ERROR, """
    YAML anchors and aliases (&name, *name) are refused: they hide content and allow alias bombs.

    FAIL:
        source: &src Coventry Protocol 4.1
        other: *src
    PASS:
        source: Coventry Protocol 4.1
        other: Coventry Protocol 4.1

    Fix: write the value out in full each time.
""")

TAG = documented(ruleids.TAG, Level.ERROR, """
    YAML tags (!!python/object, !custom, ...) are refused: pathway files hold plain data only.

    FAIL:
        review_date: !!timestamp 2027-05-31
    PASS:
        review_date: 2027-05-31

    Fix: remove the tag.
""")

TOO_DEEP = documented(ruleids.TOO_DEEP, Level.ERROR, """
    Nesting is deeper than ms-navigator accepts (40 levels): a sign of a broken or hostile file.

    FAIL:
        when: {not: {not: {not: {not: ...}}}}   # 40 levels deep
    PASS:
        when: {fact: under_18, in: ["no"]}

    Fix: simplify the structure.
""")

ENCODING = documented(ruleids.ENCODING, Level.ERROR, """
    The file is not UTF-8 text (binary data, a NUL byte, or another encoding).

    FAIL:
        a file saved as UTF-16 or Latin-1, or a binary file named *.yaml
    PASS:
        a file saved as UTF-8

    Fix: save the file as UTF-8 in your editor.
""")

FILE = documented(ruleids.FILE, Level.ERROR, """
    A file or folder the pack needs is missing, unreadable, or is a folder where a file belongs.

    FAIL:
        pathways/directory/facts.yaml does not exist
    PASS:
        pathways/directory/facts.yaml exists and is readable

    Fix: restore the file, or point `lint` at the pack folder.
""")

FILE_REFUSED = documented(ruleids.FILE_REFUSED, Level.ERROR, """
    A pack file is not read: it is a link to somewhere outside the pack folder, or a pipe
    (FIFO), a device (such as `/dev/zero`) or another special file. Nothing of what it points
    at is shown. `lint` exits 2 (bad input) when a file is refused.

    FAIL:
        pathways/x.yaml -> /etc/passwd     (a symbolic link out of the pack)
    PASS:
        pathways/x.yaml, a regular file inside the pack

    Fix: put the file itself in the pack folder, or remove the link.
""")

FILE_SKIPPED = documented(ruleids.FILE_SKIPPED, Level.WARNING, """
    A file in the pack's folders is not read, so nothing in it is checked: a `.yml` file (only
    `*.yaml` is read) or a `directory/*.yaml` that is not one of the directory files is a
    warning; any other file (a README, say) is a note.

    FAIL:
        pathways/housing.yml
    PASS:
        pathways/housing.yaml

    Fix: rename the file to `.yaml` (or to the directory file it was meant to be), or move
    it out of the pack.
""")

FILE_TOO_LARGE = documented(ruleids.FILE_TOO_LARGE, Level.ERROR, """
    The file is over 2 MB or holds more than 500,000 values.

    FAIL:
        a pathway file of 3 MB
    PASS:
        pathways split into one file per protocol section

    Fix: split the content into smaller files.
""")

DUPLICATE_ID = documented(ruleids.DUPLICATE_ID, Level.ERROR, cross_file=True, doc="""
    Two items of the same kind (nodes of one pathway, pathways, facts, contacts, services,
    steps, invariants) share an id; only the first would ever be used.

    FAIL:
        - id: q_consent
          ...
        - id: q_consent
    PASS:
        - id: q_consent
          ...
        - id: q_consent_again

    Fix: rename one of them, and update whatever points at it.
""")


PACK_NOT_CHECKED = documented(ruleids.PACK_NOT_CHECKED, Level.ERROR, mandatory=True, cross_file=True, doc="""
    Some files of the pack have errors, so the checks that need every file (the safety
    invariants on every path, `path-stuck`, `unused-item`) could not run.

    Everything else is still checked in the same run: each file that reads, and each item of a
    file that does not. The run fails until the pack is whole, whichever file `lint` was given,
    so a broken file can never let an unchecked pack through.

    FAIL:
        ms-navigator lint pathways/nrm-post.yaml    # while nrm-pre.yaml has a syntax error
    PASS:
        ms-navigator lint pathways/nrm-post.yaml    # every file of the pack reads

    Fix: correct the errors reported with it, then lint again.
""")


SUPPRESSION = documented(ruleids.SUPPRESSION, Level.ERROR, """
    An inline `# ms-navigator: disable=RULE-ID reason` comment that cannot be used: it gives
    no reason, names an unknown rule, or names a safety rule (which nothing can silence).

    A comment at the end of a line silences the named rules on that line; one on a line of its
    own, on the next line. Every suppression used is listed in the run's summary (and in SARIF
    as a suppression with its justification), so a reviewer sees what was silenced and why.

    FAIL:
        contact: ms-helpline  # ms-navigator: disable=unused-item
    PASS:
        contact: ms-helpline  # ms-navigator: disable=unused-item kept for the 2027 review

    Fix: say why after the rule ids, or correct the rule id.
""")


def _unknown(what: str, fail: str, ok: str) -> str:
    return f"""
    A reference to a {what} that does not exist.

    FAIL:
        {fail}
    PASS:
        {ok}

    Fix: correct the spelling (the message suggests the likely id), or add the {what}.
    """


_UNKNOWN = (
    (ruleids.UNKNOWN_NODE, "node (in `next`, `otherwise` or `start`)", "next: s_nowhere", "next: s_notify"),
    (ruleids.UNKNOWN_FACT, "fact (in a question, condition, invariant or policy.yaml's table_inputs)",
     "fact: under18", "fact: under_18"),
    (ruleids.UNKNOWN_VALUE, "value of a fact", 'when: {fact: under_18, in: ["maybe"]}',
     "when: {fact: under_18, in: [unsure]}"),
    (ruleids.UNKNOWN_STEP, "step (steps.yaml)", "steps: [refer_nmr]", "steps: [refer_nrm]"),
    (ruleids.UNKNOWN_SERVICE, "service (services.yaml)", "services: [adavu-project]", "services: [adavu]"),
    (ruleids.UNKNOWN_CONTACT, "contact (contacts.yaml)", "contact: helpline", "contact: ms-helpline"),
    (ruleids.UNKNOWN_PATHWAY, "pathway (in a goto node, or policy.yaml's entry)",
     "pathway: nrm_pre", "pathway: nrm-pre"),
    (ruleids.UNKNOWN_TABLE, "table (in a services node)", "table: support", "table: specialist-support"),
    (ruleids.UNKNOWN_COLUMN, "column of the eligibility table (in a row's cells)",
     "cells: {in_the_nrm: true}", "cells: {in_nrm: true}"),
    (ruleids.UNKNOWN_SOURCE, "source (directory/sources.yaml), at the start of a part of a `source`",
     'source: "Coventry Protocol 4.1"', 'source: "protocol 4.1; msa-2015 s51"'),
)
UNKNOWN_REFERENCES = tuple(documented(rule_id, Level.ERROR, _unknown(what, fail, ok), cross_file=True)
                           for rule_id, what, fail, ok in _UNKNOWN)
