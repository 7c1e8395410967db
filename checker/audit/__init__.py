"""The audit: the whole chain at a glance for FG/DPO, auditors and chain architects (`ketencheck audit`)."""
