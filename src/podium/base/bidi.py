"""Text in two directions: a value people typed, shown inside a sentence of ours."""


def isolated(value: str) -> str:
    """`value` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, for a sentence shown as plain
    text (a confirmation message, a room screen's notice): a Hebrew or Arabic title or name reads in its
    own direction and leaves the order of the sentence around it alone, as `<bdi>` does in markup."""
    return f"\N{FIRST STRONG ISOLATE}{value}\N{POP DIRECTIONAL ISOLATE}"
