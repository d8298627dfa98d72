import FedReport
import Testing

@Suite struct ReportEscapingTests {
    @Test func htmlEscapesAllFiveSpecials() {
        #expect(ReportEscaping.html(#"<a href="x">Tom & Jerry's</a>"#) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(ReportEscaping.html("plain ü 中") == "plain ü 中")
        #expect(ReportEscaping.html("bell\u{07}") == "bell\u{FFFD}")  // not allowed in XML 1.0
    }

    @Test func markdownCellCannotBreakItsRow() {
        #expect(ReportEscaping.markdown("a|b") == #"a\|b"#)
        #expect(ReportEscaping.markdown("line1\nline2") == "line1 line2")
        #expect(ReportEscaping.markdown("<b>*x*</b> & _y_") == #"&lt;b&gt;\*x\*&lt;/b&gt; &amp; \_y\_"#)
        #expect(ReportEscaping.markdown(#"back\slash"#) == #"back\\slash"#)
    }

    @Test func codeFenceOutrunsBackticksInTheText() {
        #expect(ReportEscaping.markdownCodeBlock("abc") == "```text\nabc\n```\n")
        #expect(ReportEscaping.markdownCodeBlock("x ```` y\n") == "`````text\nx ```` y\n`````\n")
    }
}
