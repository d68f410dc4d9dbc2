"""Appointments to an organisation's post (能进能出): seats, status, contracts, allowances."""
