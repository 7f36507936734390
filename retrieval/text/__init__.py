"""The text toolkit: the one place for the rules every module applies to Chinese text.

- `normalize`: the matching form (`normalize`) and the whitespace-free compare form (`compact`);
- `sentences`: what ends a sentence or a clause (named character sets) and the splitters built on them;
- `numerals`: one parser for Chinese numerals and the 五年 = 5年 variants;
- `years`: the year pattern (2022年) and the relative year words (今年, 去年…);
- `markers`: the numbers that open headings (二、 （三） 一是 第四， 2．);
- `tokens`: jieba with the user dictionary: index terms of passages and questions;
- `places`: the cities and counties a question names by full name (武汉市).

Nothing else in retrieval/ or bot/ spells these rules again; a module that needs a different
set composes it from the named constants here, and says why.
"""
