"""ketencheck: checks proposed data flows of the vreemdelingenketen against a policy pack on Open Policy Agent."""

__version__ = "0.1.0"
