# Python processes that az starts (e.g. `python -m azure.cli.telemetry`) inherit PYTHONPATH from the
# real-az wrapper and load this, so they too can reach nothing but the stand-in on loopback.
import realaz_shim  # noqa: F401
