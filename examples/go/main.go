// Nuage example: answers on $PORT with its runtime, INSTANCE_NUMBER and GREETING; /health says ok.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok\n")
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "runtime=go instance=%s greeting=%s\n", os.Getenv("INSTANCE_NUMBER"), os.Getenv("GREETING"))
	})
	log.Printf("listening on %s", port)
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, nil))
}
