"""The report's chapters, one module each; each lays findings out and computes nothing."""
from __future__ import annotations

from .appendix import appendix_chapter
from .courses import courses_chapter, major_course_blocks
from .employers import employer_chapter
from .majors import major_chapters
from .method import method_chapter
from .outcomes import outcomes_chapter
from .recommendations import recommendation_items, recommendation_tables, recommendations_chapter
from .summary import summary_chapter
from .teaching import teaching_chapter

__all__ = ["summary_chapter", "method_chapter", "employer_chapter", "outcomes_chapter", "teaching_chapter",
           "major_chapters", "recommendations_chapter", "recommendation_items", "recommendation_tables",
           "appendix_chapter", "courses_chapter", "major_course_blocks"]
