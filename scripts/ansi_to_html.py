#!/usr/bin/env python3
"""Turns `tmux capture-pane -e` output into HTML for screenshots.

Written for our screenshots because aha drops reverse video on default colours, which is how
astrodash marks the selected row. Handles the SGR codes tmux emits: bold, dim, italic, underline,
reverse, 8/16/256/true colours and their resets.
"""
import html
import re
import sys

FG, BG = "#d0d0d0", "#000000"
BASE16 = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
          "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (v, v, v)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = BASE16[c - 30]
            elif 90 <= c <= 97:
                self.fg = BASE16[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = BASE16[c - 40]
            elif 100 <= c <= 107:
                self.bg = BASE16[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    value, i = color256(codes[i + 2]), i + 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    value, i = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]), i + 4
                else:
                    value = None
                if c == 38:
                    self.fg = value
                else:
                    self.bg = value
            i += 1

    def style(self):
        fg, bg = self.fg or FG, self.bg or BG
        if self.reverse:
            fg, bg = bg, fg
        css = [f"color:{fg}"]
        if bg != BG:
            css.append(f"background:{bg}")
        if self.bold:
            css.append("font-weight:bold")
        if self.dim:
            css.append("opacity:0.7")
        if self.italic:
            css.append("font-style:italic")
        if self.underline:
            css.append("text-decoration:underline")
        return ";".join(css)


def convert(text):
    pen, out = Pen(), []
    # SGR sequences change the pen; other escapes (OSC 8 links, cursor moves) are dropped.
    for part in re.split(r"(\x1b\[[0-9;]*m|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-ln-z])", text):
        if not part:
            continue
        if part.startswith("\x1b["):
            if part.endswith("m"):
                pen.apply(part[2:-1])
            continue
        if part.startswith("\x1b]"):
            continue
        out.append(f'<span style="{pen.style()}">{html.escape(part)}</span>')
    return "".join(out)


def main():
    body = convert(sys.stdin.read())
    print(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>astrodash</title>
<style>body{{margin:0;padding:10px;background:{BG}}}
pre{{margin:0;font-family:"DejaVu Sans Mono",monospace;font-size:15px;line-height:1.2;color:{FG}}}</style>
</head><body><pre>{body}</pre></body></html>""")


if __name__ == "__main__":
    main()
