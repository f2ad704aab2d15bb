"""Checks of free text typed in by users."""

import unicodedata

# The longest override reason kept (it is stored with the override, in the
# grade history and in the chatter).
MAX_REASON_LENGTH = 500

# Unicode categories that print nothing: separators, control and format
# characters (zero-width spaces and joiners, bidirectional marks, ...).
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs"})


def has_visible_text(text):
    """Whether ``text`` holds at least one character that prints something
    (``str.strip()`` keeps zero-width spaces, for instance)."""
    return any(unicodedata.category(char) not in INVISIBLE_CATEGORIES for char in text or "")
