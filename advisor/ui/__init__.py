"""The Streamlit layer. The only part of the package allowed to import streamlit."""
