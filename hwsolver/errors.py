"""The few exceptions the library raises; the CLI turns them into "Error: ..." and exit status 1."""


class HwsolverError(Exception):
    """Base of every error meant for the user rather than for a developer."""


class SpecError(HwsolverError):
    """A problem or submission file that cannot be read: always names file, line, column and key path."""


class ExprError(HwsolverError):
    """Text that is not a valid formula of the expression language (message shows the position)."""


class SolveError(HwsolverError):
    """A valid spec whose computation cannot be carried out (e.g. a loss undefined at the given values)."""
