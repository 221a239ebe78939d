"""``bench meta-eval``: how well each metric agrees with people who judged paraphrases.

- :mod:`~bench.meta_eval.items`: the judged item every input format is read into;
- :mod:`~bench.meta_eval.readers`: our JSONL, SummEdits JSON, WMT MQM TSV;
- :mod:`~bench.meta_eval.scoring`: the items scored with ``bench run``'s metric code;
- :mod:`~bench.meta_eval.measures`: tau-b, pairwise accuracy, AUC, Pearson, resampled;
- :mod:`~bench.meta_eval.evaluate`: every measure of a set, intervals, paired differences;
- :mod:`~bench.meta_eval.render`: text, markdown and JSON reports;
- :mod:`~bench.meta_eval.run`: the whole command as one library call.

docs/meta-eval.md says what each figure means.
"""
