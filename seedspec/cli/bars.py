"""An apply's progress on a terminal: the load's callbacks (execute/progress.py) -> rich bars.

One bar per table (rows done of its total, rows/s, elapsed) under a line naming the phase.
Nothing is drawn until the work has lasted `delay` seconds, and the bars are erased when it
ends, so the command's own output (stdout, then findings on stderr) is what stays."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import IO, Any

from rich.console import Console, RenderableType
from rich.file_proxy import FileProxy
from rich.progress import BarColumn, ProgressColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.spinner import Spinner
from rich.text import Text

SHOWN_TABLES = 8  # finished tables beyond these scroll away; the phase line counts them all


class _Rows(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{int(task.completed):,}/{int(task.total or 0):,}", style="progress.download")


class _Rate(ProgressColumn):
    """Rows per second so far: the same figure as the summary's rows/s once the table is done."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = f"{task.completed / elapsed:,.0f}" if elapsed > 0 and task.completed else "-"
        return Text(f"{rate} rows/s", style="progress.data.speed")


class _Bars(RichProgress):
    """rich's Progress with the phase line above the table bars."""

    def __init__(self, display: Display, *columns: Any, **options: Any) -> None:
        self._display = display  # before rich's __init__, which renders once
        super().__init__(*columns, **options)

    def get_renderables(self) -> Any:
        yield self._display.phase_line()
        yield self.make_tasks_table(self.tasks)


class Display:
    """The execute.progress.Progress the command line gives `api.apply` on a terminal."""

    def __init__(self, stream: IO[str], delay: float = 1.0) -> None:
        self._console = Console(file=stream)
        self._spinner = Spinner("dots")
        self._lock = threading.Lock()
        self._timer = threading.Timer(delay, self._start)
        self._timer.daemon = True
        self._started = self._ended = False
        self._began = time.perf_counter()
        self._phase = "reading the schema and planning"
        self._planned: list[tuple[str, int]] = []
        self._tasks: dict[str, TaskID] = {}
        self._written = self._begun = 0
        self._logs: list[tuple[logging.StreamHandler[Any], Any]] = []
        self._bars = _Bars(
            self,
            TextColumn("  {task.description}"),
            BarColumn(bar_width=30),
            _Rows(),
            _Rate(),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
            redirect_stdout=False,  # stdout is only the command's output
            redirect_stderr=False,  # stderr stays the masked stream (cli/base.py)
            refresh_per_second=8,
        )

    # the listener (execute/progress.py)

    def planned(self, tables: Sequence[tuple[str, int]]) -> None:
        self._planned = list(tables)

    def table_started(self, name: str, rows: int) -> None:
        self._phase, self._begun = "loading", self._begun + 1
        if rows <= 0:  # nothing to draw: no bar
            return
        self._tasks[name] = self._bars.add_task(name, total=rows)
        shown = [t for t in self._bars.tasks if t.visible]
        for task in [t for t in shown if t.finished][: max(0, len(shown) - SHOWN_TABLES)]:
            self._bars.update(task.id, visible=False)

    def advanced(self, name: str, rows: int) -> None:
        self._written += rows
        task = self._tasks.get(name)
        if task is None:
            return
        self._bars.advance(task, rows)
        if self._bars.tasks[task].finished:
            self._bars.stop_task(task)

    def phase(self, name: str) -> None:
        self._phase = name

    # the display

    def phase_line(self) -> RenderableType:
        seconds = int(time.perf_counter() - self._began)
        parts = [self._phase]
        if self._planned:
            total = sum(rows for _, rows in self._planned)
            parts.append(f"table {self._begun} of {len(self._planned)}")
            parts.append(f"{self._written:,} of {total:,} rows")
        parts.append(f"{seconds // 60}:{seconds % 60:02d}")
        self._spinner.update(text=Text(" · ".join(parts), style="bold"))
        return self._spinner

    def begin(self) -> None:
        self._timer.start()

    def end(self) -> None:
        with self._lock:
            self._ended = True
            self._timer.cancel()
            if not self._started:
                return
            for handler, stream in self._logs:
                handler.setStream(stream)
            self._bars.stop()

    def _start(self) -> None:
        """After `delay` seconds: the bars drawn; --verbose's lines printed above them."""
        with self._lock:
            if self._ended:
                return
            self._bars.start()
            self._started = True
            for handler in logging.getLogger("seedspec").handlers:
                if type(handler) is logging.StreamHandler:
                    proxy = FileProxy(self._console, handler.stream)
                    self._logs.append((handler, handler.setStream(proxy)))
