package campaign

// splitFields cuts a complete record (decoded to UTF-8) into fields,
// removing quotes and turning "" into " and CRLF inside quotes into LF, as
// Excel means them. All fields share one string allocation. The scanner has
// already rejected records with broken quotes; the loop still tolerates them.
func splitFields(rec []byte, scratch []byte, ends []int) (fields []string, _ []byte, _ []int) {
	scratch, ends = scratch[:0], ends[:0]
	i := 0
	for {
		if i < len(rec) && rec[i] == '"' {
			i++
		quoted:
			for i < len(rec) {
				c := rec[i]
				switch {
				case c == '"' && i+1 < len(rec) && rec[i+1] == '"':
					scratch = append(scratch, '"')
					i += 2
					continue
				case c == '"':
					i++
					break quoted
				case c == '\r' && i+1 < len(rec) && rec[i+1] == '\n':
					i++
					continue
				}
				scratch = append(scratch, c)
				i++
			}
			// Anything between the closing quote and the comma is kept.
			for i < len(rec) && rec[i] != ',' {
				scratch = append(scratch, rec[i])
				i++
			}
		} else {
			for i < len(rec) && rec[i] != ',' {
				scratch = append(scratch, rec[i])
				i++
			}
		}
		ends = append(ends, len(scratch))
		if i >= len(rec) {
			break
		}
		i++ // the comma
	}
	line := string(scratch)
	fields = make([]string, len(ends))
	prev := 0
	for k, e := range ends {
		fields[k] = line[prev:e]
		prev = e
	}
	return fields, scratch, ends
}
