"""Streamlit entry point (thin): collects the brief, calls `advisor`, draws the plan."""

from advisor.ui.page import main

main()
