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

/// `xmlFree` is a global function pointer that Swift 6 rejects as shared mutable state.
static inline void inforce_xmlFree(void *pointer) {
    xmlFree(pointer);
}

#endif
