"""Read a pasted customer message (DM, WhatsApp) into suggestions for the quick order form.

`build_index(catalog)` once per request, then `parse_message(text, index)` finds phone
numbers (E.164), @handles, emails, the requested items matched to catalog variants, an
address, and the words that looked like a request but matched nothing. Pure and
deterministic: no I/O, no randomness, stable ordering (sets are never iterated into output).

How a message is read, and where:
1. `entities.py`: normalise (NFKC, Arabic-Indic digits to ASCII, LF line breaks, invisible
   direction marks dropped, outer whitespace stripped; `ParsedMessage.spans` joins back to
   this text); claim emails, links, handles and phone numbers so their digits and words
   are not items; tokenise the rest, joining quantities ("2 pcs") and measures ("100 ml").
2. `catalog.py`: each word is folded (`words.fold`) and looked up in the index:
   product-name words, option concepts (colours, sizes, "100ml"), SKUs, with plural,
   Arabic prefix/suffix and bounded-typo tolerance.
3. `addresses.py`: the words after a cue ("deliver to", "العنوان", "📍") or clauses
   naming a place.
4. `reading.py`: lines are cut into clauses ("and", ",", "+", "و") and clauses into pieces
   at quantities and new product nouns; each piece picks its product(s), then the variant
   whose option values it mentions. Pieces with only options ("size M", "one red") join a
   product.
`words.py` holds the word lists (synonyms, cues, stopwords) and the folding.
"""

from kyora.orders.parsing.catalog import CatalogEntry, CatalogIndex, build_index
from kyora.orders.parsing.reading import ParsedItem, ParsedMessage, parse_message

__all__ = [
    "CatalogEntry",
    "CatalogIndex",
    "ParsedItem",
    "ParsedMessage",
    "build_index",
    "parse_message",
]
