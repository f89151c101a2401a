"""Customers: who buys, how to reach them, where to deliver, and what they owe."""
