"""ms-navigator: the Coventry Protocol for Addressing Adult Modern Slavery as a decision-support tool."""

__version__ = "0.1.0"
