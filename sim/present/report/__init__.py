"""A report for presenting outcomes to politicians: PDF or one self-contained HTML file.

The lesson of Røe (2018, §3.2.1) is that projects survive when they can *show numbers*: how many
families got into work, how many into a home of their own, and social assistance paid before
and after. The report therefore opens with those numbers in plain words, each with its 95 %
interval and its paired difference against its reference: a one-page summary of four of them
and one chart, then the table of them all with how to read it, figures of the key indicators
over time, a few simulated families' housing careers, and a page on assumptions, uncertainty
and what the model cannot measure, with a glossary.

Every headline number that ``summary.json`` also holds is taken from the very same runs as
``boligsim run`` computes it, so the two agree to the last digit (:mod:`.headline`).

The modules, in the order a report is made:

* :mod:`.headline` — the headline measures and their differences in words;
* :mod:`.summary` — the first page: four headline numbers in words and one chart;
* :mod:`.trajectories` — every family's state month by month in one replication;
* :mod:`.stories` — the families chosen as typical of a pattern, told in a sentence;
* :mod:`.themes` — what each theme figure shows;
* :mod:`.figures` — the report's figures;
* :mod:`.document` — the pages in reading order, :func:`build_report`, :func:`output_format`;
* :mod:`.pdf` and :mod:`.webpage` — the document written as PDF or as one HTML file.
"""

from sim.present.report.document import Page, Report, build_report, output_format
from sim.present.report.stories import Story, choose_stories, story_sentence
from sim.present.report.trajectories import Trajectories, record_trajectories

__all__ = ["Page", "Report", "Story", "Trajectories", "build_report", "choose_stories",
           "output_format", "record_trajectories", "story_sentence"]
