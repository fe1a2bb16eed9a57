package dev.genaiprocessors.aws;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a text into pieces of at most a number of UTF-8 bytes, on sentence boundaries. */
final class TextSegments {

  /** A piece of a text and where it starts in it (in chars). */
  record Segment(int offset, String text) {}

  private TextSegments() {}

  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The text in order, cut into pieces of at most {@code maxBytes} UTF-8 bytes: whole sentences
   * where they fit, a long sentence on word boundaries, a long word between code points.
   */
  static List<Segment> split(String text, int maxBytes) {
    List<Segment> out = new ArrayList<>();
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
    sentences.setText(text);
    int start = 0; // start of the segment being built
    int end = 0; // end of what it holds so far
    for (int next = sentences.next(); next != BreakIterator.DONE; next = sentences.next()) {
      if (utf8Length(text.substring(start, next)) <= maxBytes) {
        end = next;
        continue;
      }
      if (end > start) {
        out.add(new Segment(start, text.substring(start, end)));
        start = end;
      }
      if (utf8Length(text.substring(start, next)) <= maxBytes) {
        end = next;
      } else {
        start = splitLong(text, start, next, maxBytes, out);
        end = start;
      }
    }
    if (end > start) {
      out.add(new Segment(start, text.substring(start, end)));
    }
    return out;
  }

  /** Cuts text[from, to) on word boundaries, else code points; returns where the rest starts. */
  private static int splitLong(String text, int from, int to, int maxBytes, List<Segment> out) {
    BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
    words.setText(text);
    int start = from;
    while (utf8Length(text.substring(start, to)) > maxBytes) {
      int cut = start;
      int boundary = words.following(start);
      while (boundary != BreakIterator.DONE
          && boundary <= to
          && utf8Length(text.substring(start, boundary)) <= maxBytes) {
        cut = boundary;
        boundary = words.next();
      }
      if (cut == start) {
        cut = start;
        int bytes = 0;
        while (cut < to) {
          int cp = text.codePointAt(cut);
          int size = utf8Length(new String(Character.toChars(cp)));
          if (bytes + size > maxBytes) {
            break;
          }
          bytes += size;
          cut += Character.charCount(cp);
        }
      }
      out.add(new Segment(start, text.substring(start, cut)));
      start = cut;
    }
    if (start < to) {
      out.add(new Segment(start, text.substring(start, to)));
    }
    return to;
  }
}
