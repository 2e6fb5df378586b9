"""The reference for the first-visit benchmark: an empty Streamlit page with one metric."""

import streamlit as st

st.metric("Reference", "1")
