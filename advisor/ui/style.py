"""The app's few style rules, one sheet for every page (CSS only: no script, no markup).

Why each rule: metric labels wrap instead of being cut ("People reached before the event",
"Personnes touchées 3 fois ou plus"); the plan's headline card fits the first screen at
1366x768; every touch target is at least 24x24 px (WCAG 2.2, 2.5.8); headings carry no
hover-only anchor link (a 16 px target named "Link to heading" in English on French pages);
captions and the current page's link have a 4.5:1 contrast (axe-core's colour-contrast rule);
a wide table scrolls inside its own box, never the page sideways.
"""

from __future__ import annotations

import streamlit as st

SHEET = """<style>
.stMainBlockContainer {padding-top: 3rem;}
@media (max-width: 640px) {
  .stMainBlockContainer {padding-top: 3.5rem;}
  .stMainBlockContainer h1 {font-size: 2rem;}
}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricLabel"] {height: auto !important; min-height: 1.5rem;}
.st-key-headline {scroll-margin-top: 4rem;}
.st-key-headline [data-testid="stMetricValue"] {font-size: 1.75rem;}
.st-key-headline [data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
@media (min-width: 641px) {
  .st-key-headline [data-testid="stMetricLabel"] {min-height: 2.6em; align-items: flex-start;}
}
@media (max-width: 640px) {
  .st-key-headline [data-testid="stElementContainer"]:has([data-testid="stMetric"]) {
    width: calc(50% - 0.5rem) !important; flex: 0 0 calc(50% - 0.5rem); min-width: 0;
  }
}
[data-testid="stMultiSelectTagsContainer"] button {min-width: 24px; min-height: 24px;}
[data-testid="stTooltipHoverTarget"] button {min-width: 24px; min-height: 24px;}
[data-testid="stHeaderActionElements"] {display: none;}
[data-testid="stCaptionContainer"] {opacity: 1 !important; color: #5b6170;}
[data-testid="stCaptionContainer"] p {color: #5b6170;}
a[data-testid="stPageLink-NavLink"][disabled] p {color: #1d2433; font-weight: 600;}
.stMain {overflow-x: hidden;}
[data-testid="stDataFrame"], [data-testid="stTable"] {max-width: 100%; overflow-x: auto;}
</style>"""


def apply() -> None:
    st.html(SHEET)
