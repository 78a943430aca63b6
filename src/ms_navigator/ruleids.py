"""Every lint rule id, once: code that reports a problem names its rule by one of these.

The registry (`rules.RULES`) has exactly these ids, and a test fails on any other id in the
code (tests/test_rule_ids.py), so a typo cannot report a rule that has no documentation.
"""

from __future__ import annotations

SYNTAX = "syntax"
SCHEMA = "schema"
DUPLICATE_KEY = "duplicate-key"
ANCHOR = "anchor"
TAG = "tag"
TOO_DEEP = "too-deep"
ENCODING = "encoding"
FILE = "file"
FILE_TOO_LARGE = "file-too-large"
DUPLICATE_ID = "duplicate-id"
PACK_NOT_CHECKED = "pack-not-checked"
UNKNOWN_NODE = "unknown-node"
UNKNOWN_FACT = "unknown-fact"
UNKNOWN_VALUE = "unknown-value"
UNKNOWN_STEP = "unknown-step"
UNKNOWN_SERVICE = "unknown-service"
UNKNOWN_CONTACT = "unknown-contact"
UNKNOWN_PATHWAY = "unknown-pathway"
UNKNOWN_TABLE = "unknown-table"
UNKNOWN_COLUMN = "unknown-column"
UNREACHABLE_NODE = "unreachable-node"
CYCLE_NO_EXIT = "cycle-no-exit"
DEAD_END = "dead-end"
OPTION_COVERAGE = "option-coverage"
BRANCH_NO_OTHERWISE = "branch-no-otherwise"
TABLE_GAP = "table-gap"
TABLE_STALE_GAP = "table-stale-gap"
TABLE_ROW_NEVER_FIRES = "table-row-never-fires"
TABLE_DUPLICATE_ROW = "table-duplicate-row"
REVIEW_DATE_PAST = "review-date-past"
REVIEW_DATE_NEAR = "review-date-near"
CONTACT_STALE = "contact-stale"
EMPTY_TEXT = "empty-text"
UNUSED_ITEM = "unused-item"
INVARIANT_BROKEN = "invariant-broken"
PATH_STUCK = "path-stuck"
INVARIANT_VACUOUS = "invariant-vacuous"
SCENARIO_UNKNOWN_ID = "scenario-unknown-id"
SUPPRESSION = "suppression"

ALL: frozenset[str] = frozenset(
    value for key, value in dict(globals()).items() if key.isupper() and isinstance(value, str))
"""Every rule id."""
