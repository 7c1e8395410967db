"""What `ketencheck policy exposure|verify|diff` prove about a policy pack itself."""
