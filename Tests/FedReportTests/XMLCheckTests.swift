import Testing

/// The checkers the other suites rely on can fail.
@Suite struct XMLCheckTests {
    @Test func balancedTagCheckRejectsBadNesting() {
        #expect(XMLCheck.balancedTags("<!DOCTYPE x><a><b/><c x=\"1\">t</c></a>"))
        #expect(!XMLCheck.balancedTags("<a><b></a></b>"))
        #expect(!XMLCheck.balancedTags("<a>"))
        #expect(!XMLCheck.balancedTags("<a"))
    }

    @Test func parserIsStrict() {
        #expect(XMLCheck.parses("<!DOCTYPE html>\n<a><b/>&#39;&amp;</a>"))
        #expect(!XMLCheck.parses("<a><b></a>"))
        #expect(!XMLCheck.parses("<a>&nbsp;</a>"))
        #expect(!XMLCheck.parses("<a>"))
        #expect(!XMLCheck.parses("<a></a><b/>"))
        #expect(!XMLCheck.parses("<a x=\"<\"/>"))
        #expect(XMLCheck.count("b", in: "<a><b/><c><b/></c></a>") == 2)
    }
}
