"""A page showing every payload of tests/test_text.py through `display_text`, for the browser."""

import streamlit as st

from advisor.locale.text import display_text
from tests.test_text import PAYLOADS

for number, payload in enumerate(PAYLOADS):
    with st.container(key=f"payload-{number}"):
        st.markdown(display_text(payload))
        st.caption(display_text(payload))
        st.warning(display_text(payload))
