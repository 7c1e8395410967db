"""Policy engines: the protocol and its implementations."""

from checker.engine.interface import Engine, Evaluation
from checker.engine.opa_cli import OpaCliEngine, find_opa

__all__ = ["Engine", "Evaluation", "OpaCliEngine", "find_opa"]
