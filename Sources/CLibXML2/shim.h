#ifndef INFORCE_CLIBXML2_SHIM_H
#define INFORCE_CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, and its UErrorCode clashes with the copy that
// Foundation brings. InForce never uses libxml2's ICU hooks: read the version header,
// then drop the flag before any header that would pull ICU in.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlreader.h>

/// `xmlFree` is a global function pointer that Swift 6 rejects as shared mutable state.
static inline void inforce_xmlFree(void *pointer) {
    xmlFree(pointer);
}

/// `htmlReadMemory` as libxml2 2.9 writes it (an XML context with the HTML handler, so that
/// undeclared pages are read as UTF-8 first), telling the caller what `htmlReadMemory` hides:
/// whether the parser stopped before the end of the input. A fatal error (a resource limit,
/// memory) halts libxml2 even in recovery mode, and the document it returns is then the page
/// cut short. `stopped` is set to 1 in that case, 0 otherwise; `error` gets libxml2's last
/// error either way (free it with `xmlResetError`).
static inline htmlDocPtr inforce_htmlReadMemory(const char *buffer, int size, const char *encoding, int options,
                                                int *stopped, xmlErrorPtr error) {
    *stopped = 0;
    xmlParserCtxtPtr context = xmlCreateMemoryParserCtxt(buffer, size);
    if (context == NULL) return NULL;
    if (context->sax != NULL) xmlSAX2InitHtmlDefaultSAXHandler(context->sax);
    htmlCtxtUseOptions(context, options);
    context->html = 1;
    if (encoding != NULL) {
        xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(encoding);
        if (handler != NULL) {
            xmlSwitchToEncoding(context, handler);
            if (context->input->encoding != NULL) xmlFree((xmlChar *)context->input->encoding);
            context->input->encoding = xmlStrdup((const xmlChar *)encoding);
        }
    }
    htmlParseDocument(context);
    htmlDocPtr document = context->myDoc;
    context->myDoc = NULL;
    *stopped = context->disableSAX != 0;
    xmlCopyError(&context->lastError, error);
    if (context->dictNames && document != NULL && document->dict == context->dict) context->dict = NULL;
    xmlFreeParserCtxt(context);
    return document;
}

#endif
